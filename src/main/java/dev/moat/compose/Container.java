package dev.moat.compose;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A container on the host as {@code docker inspect} reports it: its name, whether it runs, its labels
 * (Compose marks its containers with {@code com.docker.compose.project}, {@code .service},
 * {@code .project.config_files} and {@code .project.working_dir}) and its ports: {@code bindings}
 * are every binding it asks for or has ({@code HostConfig.PortBindings} and, when it runs,
 * {@code NetworkSettings.Ports}); {@code live} only those Docker has published now
 * ({@code NetworkSettings.Ports}, with the host port Docker chose; empty when stopped).
 * {@code realWorkingDir} is the working directory with symlinks resolved on the host (null when
 * unknown), so a project started through a symlinked path still matches the file found.
 * {@code inspect} is the container's whole {@code docker container inspect} object as the daemon
 * reported it (null when not read), the configuration {@link #config()} reads and
 * {@code container_ports} recreates a container from.
 * Read by {@link ContainersFact} for {@code compose_ports} and {@code container_ports}, and by
 * {@code moat scan --inside}.
 */
public record Container(String id, String name, boolean running, Map<String, String> labels, List<Binding> bindings,
                        List<Binding> live, String realWorkingDir, String inspect) {
    public static final String PROJECT = "com.docker.compose.project";
    public static final String SERVICE = "com.docker.compose.service";
    public static final String CONFIG_FILES = "com.docker.compose.project.config_files";
    public static final String WORKING_DIR = "com.docker.compose.project.working_dir";

    /** A container whose bindings are all live when it runs. */
    public Container(String id, String name, boolean running, Map<String, String> labels, List<Binding> bindings) {
        this(id, name, running, labels, bindings, running ? bindings : List.of(), null, null);
    }

    /** A container read without its full configuration. */
    public Container(String id, String name, boolean running, Map<String, String> labels, List<Binding> bindings,
                     List<Binding> live, String realWorkingDir) {
        this(id, name, running, labels, bindings, live, realWorkingDir, null);
    }

    /** Its full configuration from {@code inspect}; an empty one when it was not read. */
    public ContainerConfig config() {
        return ContainerConfig.parse(inspect);
    }

    public Container {
        labels = Map.copyOf(labels);
        bindings = List.copyOf(bindings);
        live = List.copyOf(live);
        if (name != null && name.startsWith("/")) name = name.substring(1);
    }

    public String project() {
        return labels.get(PROJECT);
    }

    public String service() {
        return labels.get(SERVICE);
    }

    public String workingDir() {
        String w = labels.get(WORKING_DIR);
        return w == null || w.isEmpty() ? null : w;
    }

    /**
     * The compose files it was created from, absolute. Compose v2 records absolute paths; v1 records
     * them as given on its command line, relative to where it ran, and records the first file's
     * directory as the working directory: that place is worked back out from the first file.
     */
    public List<String> configFiles() {
        String v = labels.get(CONFIG_FILES);
        List<String> out = new ArrayList<>();
        if (v == null || v.isEmpty()) return out;
        String wd = workingDir();
        String[] raw = v.split(",");
        String cwd = null;
        String first = raw[0].trim();
        if (wd != null && !first.startsWith("/")) {
            String dir = first.contains("/") ? first.substring(0, first.lastIndexOf('/')) : "";
            if (dir.isEmpty() || dir.equals(".")) cwd = wd;
            else if (!dir.contains("..") && wd.endsWith("/" + dir)) cwd = wd.substring(0, wd.length() - dir.length() - 1);
        }
        for (String f : raw) {
            String t = f.trim();
            if (t.isEmpty()) continue;
            if (t.startsWith("/")) out.add(normalize(t));
            else if (cwd != null) out.add(normalize(cwd + "/" + t));
            else if (wd != null) out.add(normalize(wd + "/" + t.substring(t.lastIndexOf('/') + 1)));
            else out.add(t);
        }
        return out;
    }

    /** A POSIX path without {@code .}, {@code ..} or doubled slashes (the host's paths, whatever the controller's OS). */
    static String normalize(String path) {
        java.util.Deque<String> parts = new java.util.ArrayDeque<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) continue;
            if (p.equals("..")) {
                if (!parts.isEmpty()) parts.removeLast();
            } else {
                parts.addLast(p);
            }
        }
        return "/" + String.join("/", parts);
    }

    /** {@link #configFiles()} and, where they lie under the working directory, the same files under its real path. */
    public List<String> configFilesAnyPath() {
        List<String> out = new ArrayList<>(configFiles());
        String wd = workingDir();
        if (wd != null && realWorkingDir != null && !realWorkingDir.equals(wd)) {
            for (String f : configFiles()) if (f.startsWith(wd + "/")) out.add(realWorkingDir + f.substring(wd.length()));
        }
        return out;
    }

    /** Whether Compose made it (its project and service labels); false for {@code docker run}. */
    public boolean compose() {
        return project() != null && service() != null;
    }

    /** The published ports in scope that outsiders can reach. */
    public List<Binding> exposed(String bind, PortFilter filter) {
        List<Binding> out = new ArrayList<>();
        for (Binding b : bindings) if (b.exposed(bind) && b.inScope(filter)) out.add(b);
        return out;
    }
}
