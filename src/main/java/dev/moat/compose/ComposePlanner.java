package dev.moat.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.moat.module.TaskException;

/**
 * Pure: from the files and containers read on a host, decides which files to rewrite and which
 * services to recreate.
 *
 * <p>A container belongs to a file when its {@code config_files} label names the file (path or
 * real path); containers without that label (very old Compose) are matched by working directory,
 * else by project name (the file's {@code name:}, {@code COMPOSE_PROJECT_NAME} from {@code .env}, or
 * the directory's name as Compose normalizes it) and service name. Recreating reuses the
 * container's own project name, working directory and file list, so the project stays the same
 * project. A service is recreated when a port entry it gets changed, or when its container still
 * publishes an in-scope port outside loopback although its file is right (drift).
 */
public final class ComposePlanner {
    private final String bind;
    private final PortFilter filter;
    private final Flavour flavour;

    public ComposePlanner(String bind, PortFilter filter, Flavour flavour) {
        this.bind = Ip.strip(bind);
        this.filter = filter;
        this.flavour = flavour;
    }

    private record Read(ComposeFile file, ComposeDocument doc, FileRewrite rewrite) {}

    /** @throws TaskException when a port entry cannot be read safely (its variables nest too deep) */
    public ComposeDecision decide(ComposeFiles found, List<Container> containers) throws TaskException {
        List<String> warnings = new ArrayList<>(found.errors());
        for (String m : found.missing()) warnings.add(m + ": no such file");
        Rewriter rewriter = new Rewriter(bind, filter, flavour);
        List<Read> reads = new ArrayList<>();
        for (ComposeFile f : found.files()) {
            try {
                ComposeDocument doc = ComposeDocument.parse(f.path(), f.text());
                FileRewrite r = rewriter.rewrite(doc, f.env());
                warnings.addAll(r.warnings());
                reads.add(new Read(f, doc, r));
            } catch (TooDeepException e) {
                throw new TaskException("compose_ports: " + e.getMessage());
            } catch (PortSyntaxException e) {
                warnings.add(e.getMessage() + "; left as is");
            }
        }
        Map<String, Recreate> groups = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        List<Unfixed> unfixed = new ArrayList<>();
        List<String> outside = new ArrayList<>();
        for (Container c : containers) {
            List<Binding> exposed = c.exposed(bind, filter);
            if (!c.compose()) {
                if (c.running() && !exposed.isEmpty()) {
                    outside.add("started outside compose: " + c.name() + " publishes " + join(exposed));
                }
                continue;
            }
            List<Read> mine = new ArrayList<>();
            for (Read r : reads) if (belongs(c, r)) mine.add(r);
            if (mine.isEmpty()) {
                if (!exposed.isEmpty()) unfixed.add(new Unfixed(c.name(), c.project(), c.service(), c.running(), exposed, c.configFiles()));
                continue;
            }
            boolean changed = false;
            for (Read r : mine) {
                seen.add(r.file.realPath() + "\0" + c.service());
                if (r.rewrite.changed() && r.rewrite.services().contains(c.service())) changed = true;
            }
            if (!changed && exposed.isEmpty()) continue;
            for (String cf : c.configFiles()) {
                boolean read = false;
                String real = c.realWorkingDir() != null && c.workingDir() != null && cf.startsWith(c.workingDir() + "/")
                        ? c.realWorkingDir() + cf.substring(c.workingDir().length()) : cf;
                for (Read r : reads) read |= cf.equals(r.file.path()) || cf.equals(r.file.realPath()) || real.equals(r.file.realPath());
                if (!read) warnings.add(c.name() + " was also created from " + cf + ", which was not read: add it to files:");
            }
            List<String> files = c.configFiles().isEmpty() ? siblings(mine.get(0).file, reads) : c.configFiles();
            String dir = c.workingDir() != null ? c.workingDir() : parent(files.get(0));
            String key = c.project() + "\0" + dir + "\0" + files;
            Recreate g = groups.get(key);
            List<String> running = g == null ? new ArrayList<>() : new ArrayList<>(g.running());
            List<String> stopped = g == null ? new ArrayList<>() : new ArrayList<>(g.stopped());
            List<String> into = c.running() ? running : stopped;
            if (!into.contains(c.service())) into.add(c.service());
            stopped.removeAll(running);
            groups.put(key, new Recreate(c.project(), dir, files, running, stopped, changed || (g != null && g.fileChanged())));
        }
        List<String> notRunning = new ArrayList<>();
        List<FileRewrite> rewrites = new ArrayList<>();
        for (Read r : reads) {
            if (!r.rewrite.changed()) continue;
            rewrites.add(r.rewrite);
            for (String s : r.rewrite.services()) {
                if (!seen.contains(r.file.realPath() + "\0" + s)) notRunning.add(r.file.path() + ": " + s);
            }
        }
        return new ComposeDecision(rewrites, new ArrayList<>(groups.values()), notRunning, outside, unfixed, warnings);
    }

    /**
     * Whether container {@code c} was created from the file: its {@code config_files} label names
     * the file; or the file defines its service and sits in its working directory (labels that
     * name the file through another symlinked path, or no such label at all); or, with neither
     * label, the file's default project name is the container's project.
     */
    private boolean belongs(Container c, Read r) {
        ComposeFile f = r.file;
        List<String> cfg = c.configFilesAnyPath();
        if (cfg.contains(f.path()) || cfg.contains(f.realPath())) return true;
        if (!r.doc.services().contains(c.service())) return false;
        if (c.workingDir() != null) {
            List<String> dirs = java.util.Arrays.asList(c.workingDir(), c.realWorkingDir());
            return dirs.contains(f.dir()) || dirs.contains(f.realDir());
        }
        return cfg.isEmpty() && c.project().equals(defaultProject(f, r.doc));
    }

    /** Compose's project name for a file run without {@code -p}. */
    public static String defaultProject(ComposeFile f, ComposeDocument doc) {
        String n = f.env().get("COMPOSE_PROJECT_NAME");
        if (n == null || n.isEmpty()) n = doc.name();
        if (n == null || n.isEmpty()) {
            String dir = f.dir();
            n = dir.substring(dir.lastIndexOf('/') + 1);
        }
        return n.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
    }

    /** The files Compose would read in the file's directory with no -f: the first base, the first override, then any other read there. */
    static List<String> siblings(ComposeFile f, List<Read> reads) {
        List<ComposeFile> here = new ArrayList<>();
        for (Read r : reads) if (r.file.dir().equals(f.dir())) here.add(r.file);
        List<String> out = new ArrayList<>();
        List<String> names = ComposeFilesFact.NAMES;
        for (int[] range : new int[][] {{0, 4}, {4, 8}}) {
            outer:
            for (String n : names.subList(range[0], range[1])) {
                for (ComposeFile x : here) {
                    if (x.name().equals(n)) {
                        out.add(x.path());
                        break outer;
                    }
                }
            }
        }
        for (ComposeFile x : here) if (!names.contains(x.name())) out.add(x.path());
        if (out.isEmpty()) out.add(f.path());
        return out;
    }

    private static String parent(String path) {
        int i = path.lastIndexOf('/');
        return i <= 0 ? "/" : path.substring(0, i);
    }

    private static String join(List<Binding> bs) {
        List<String> out = new ArrayList<>();
        for (Binding b : bs) out.add(b.toString());
        return String.join(", ", out);
    }
}
