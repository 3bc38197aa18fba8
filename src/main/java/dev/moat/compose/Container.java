package dev.moat.compose;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A container on the host, from {@code docker inspect}: its name, whether it runs, its labels (Compose
 * marks its containers with {@code com.docker.compose.project}, {@code .service},
 * {@code .project.config_files} and {@code .project.working_dir}) and its published ports.
 */
public record Container(String id, String name, boolean running, Map<String, String> labels, List<Binding> bindings) {
    public static final String PROJECT = "com.docker.compose.project";
    public static final String SERVICE = "com.docker.compose.service";
    public static final String CONFIG_FILES = "com.docker.compose.project.config_files";
    public static final String WORKING_DIR = "com.docker.compose.project.working_dir";

    public Container {
        labels = Map.copyOf(labels);
        bindings = List.copyOf(bindings);
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

    /** The compose files it was created from, absolute (relative ones resolved against the working directory). */
    public List<String> configFiles() {
        String v = labels.get(CONFIG_FILES);
        List<String> out = new ArrayList<>();
        if (v == null || v.isEmpty()) return out;
        for (String f : v.split(",")) {
            String t = f.trim();
            if (t.isEmpty()) continue;
            if (!t.startsWith("/") && workingDir() != null) t = workingDir() + "/" + (t.startsWith("./") ? t.substring(2) : t);
            out.add(t);
        }
        return out;
    }

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
