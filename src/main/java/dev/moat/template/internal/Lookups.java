package dev.moat.template.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.hubspot.jinjava.el.ext.NamedParameter;

import dev.moat.template.FileSearch;
import dev.moat.template.Templar;
import dev.moat.template.TemplateException;

/**
 * Ansible's {@code lookup()} and {@code query()} with the plugins moat has: {@code env},
 * {@code file}, {@code template}, {@code vars}, {@code varnames}, {@code first_found},
 * {@code fileglob} and {@code password}. {@code pipe}, {@code lines} (they run a command on the
 * controller) and {@code url} (the controller fetches nothing) are refused by name. Files are looked
 * for as Ansible does ({@link FileSearch}). Every value read from the environment, a file or a
 * password file is recorded as a secret of the run, so the output layer can mask it. An unset
 * environment variable gives its {@code default} option or {@code ''}, as Ansible's {@code env}
 * lookup does (roles test it against {@code ''}); the modules that take a password refuse an
 * empty one (htpasswd: "an unset environment variable or file?"), so none slips through there.
 */
public final class Lookups {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, String> CHAR_SETS = Map.of(
            "ascii_letters", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "ascii_lowercase", "abcdefghijklmnopqrstuvwxyz",
            "ascii_uppercase", "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "digits", "0123456789",
            "hexdigits", "0123456789abcdefABCDEF",
            "octdigits", "01234567",
            "punctuation", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
            "letters", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

    private Lookups() {}

    /** {@code lookup(kind, term, ...)}: one value is itself; several strings are comma-joined, else a list. */
    public static Object lookup(String kind, Object... args) {
        Call c = Call.of(kind, args);
        List<Object> values = c.run();
        if (values == null) return null;
        if (c.wantList) return values;
        if (values.size() == 1) return values.get(0);
        List<String> parts = new ArrayList<>();
        for (Object v : values) {
            if (!(Undefined.require(v) instanceof String s)) return values;
            parts.add(s);
        }
        return String.join(",", parts);
    }

    /** {@code query(kind, term, ...)}: always a list. */
    public static Object query(String kind, Object... args) {
        List<Object> values = Call.of(kind, args).run();
        if (values == null) return new ArrayList<>();
        for (Object v : values) Undefined.require(v);
        return values;
    }

    /** One lookup call: its plugin, terms and options. */
    private record Call(String kind, List<Object> terms, Map<String, Object> options, boolean wantList, String errors) {
        static Call of(String kind, Object[] args) {
            List<Object> terms = new ArrayList<>();
            Map<String, Object> options = new LinkedHashMap<>();
            for (Object a : args == null ? new Object[0] : args) {
                if (a instanceof NamedParameter p) options.put(p.getName(), Undefined.require(p.getValue()));
                else terms.add(Undefined.require(a));
            }
            boolean wantList = Templar.truthy(options.remove("wantlist"));
            Object errors = options.remove("errors");
            return new Call(kind, terms, options, wantList, errors == null ? "strict" : String.valueOf(errors));
        }

        /** The plugin's values; null when it failed and {@code errors} is {@code ignore} or {@code warn}. */
        List<Object> run() {
            try {
                return plugin();
            } catch (TemplateException e) {
                if (errors.equals("ignore") || errors.equals("warn")) return null;
                throw Frame.fail(e);
            }
        }

        private List<Object> plugin() {
            switch (kind) {
                case "env": return each(t -> env(t));
                case "file": return each(t -> file(t));
                case "template": return each(t -> template(t));
                case "vars": return each(t -> vars(t));
                case "varnames": return varnames();
                case "first_found": return firstFound();
                case "fileglob": return fileglob();
                case "password": return each(t -> password(t));
                case "pipe":
                case "lines":
                    throw new TemplateException("lookup('" + kind + "') runs a command on the controller; moat does not: "
                            + "use a task with register: on the host, or a variable");
                case "url":
                    throw new TemplateException("lookup('url') is not supported: the controller fetches nothing; "
                            + "use get_url or uri on the host");
                default:
                    throw new TemplateException("lookup plugin (" + kind + ") not found; moat has env, file, template, vars, "
                            + "varnames, first_found, fileglob and password");
            }
        }

        private interface One {
            Object apply(String term);
        }

        private List<Object> each(One f) {
            if (terms.isEmpty()) throw new TemplateException("lookup('" + kind + "') needs a term, e.g. lookup('" + kind + "', 'NAME')");
            List<Object> out = new ArrayList<>();
            for (Object t : terms) out.add(f.apply(PyRepr.str(t)));
            return out;
        }

        private Object env(String name) {
            String v = System.getenv(name);
            if (v == null) return options.getOrDefault("default", "");
            Frame.current().secret(v);
            return v;
        }

        private Object file(String name) {
            Path p = found(name, "files");
            try {
                String content = Files.readString(p, StandardCharsets.UTF_8);
                if (!options.containsKey("rstrip") || Templar.truthy(options.get("rstrip"))) content = content.stripTrailing();
                if (Templar.truthy(options.get("lstrip"))) content = content.stripLeading();
                Frame.current().secret(content);
                return content;
            } catch (IOException e) {
                throw new TemplateException("lookup('file', '" + name + "'): cannot read " + p + ": " + e.getMessage());
            }
        }

        private Object template(String name) {
            Path p = found(name, "templates");
            Frame f = Frame.current();
            try {
                return new Templar(f.baseDir(), f.secrets()).renderFile(Files.readString(p, StandardCharsets.UTF_8), f.vars());
            } catch (IOException e) {
                throw new TemplateException("lookup('template', '" + name + "'): cannot read " + p + ": " + e.getMessage());
            }
        }

        private Object vars(String name) {
            var v = Frame.current().vars();
            if (v.has(name)) return v.get(name);
            if (options.containsKey("default")) return options.get("default");
            throw new TemplateException("No variable found with this name: " + name);
        }

        private List<Object> varnames() {
            List<Object> out = new ArrayList<>();
            for (Object t : terms) {
                Pattern p = PyRegex.compile(PyRepr.str(t), false, false);
                for (String n : Frame.current().vars().names()) if (p.matcher(n).find()) out.add(n);
            }
            return out;
        }

        private List<Object> firstFound() {
            List<Object> all = new ArrayList<>(terms);
            if (!options.isEmpty()) all.add(options);
            Optional<Path> p = FileSearch.firstFound(all, searchPath(loopSubdir()));
            if (p.isPresent()) return new ArrayList<>(List.of(p.get().toString()));
            if (FileSearch.skips(all)) return new ArrayList<>();
            throw new TemplateException("No file was found when using first_found.");
        }

        private List<Object> fileglob() {
            List<Object> out = new ArrayList<>();
            for (Object t : terms) {
                Path term = Path.of(PyRepr.str(t));
                String dir = term.getParent() == null ? "" : term.getParent().toString();
                Optional<Path> base = FileSearch.find(dir.isEmpty() ? "." : dir, searchPath(loopSubdir()));
                if (base.isEmpty() || !Files.isDirectory(base.get())) continue;
                List<String> matches = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(base.get(), term.getFileName().toString())) {
                    for (Path m : ds) if (Files.isRegularFile(m)) matches.add(m.toString());
                } catch (IOException e) {
                    throw new TemplateException("lookup('fileglob', '" + t + "'): " + e.getMessage());
                }
                matches.sort(null);
                out.addAll(matches);
            }
            return out;
        }

        private Object password(String term) {
            String[] parts = term.split(" ", 2);
            Map<String, String> params = new LinkedHashMap<>();
            if (parts.length > 1) {
                for (String kv : parts[1].trim().split("\\s+")) {
                    int eq = kv.indexOf('=');
                    if (eq < 0) throw new TemplateException("lookup('password'): unrecognized value after key=value parameters: " + kv);
                    params.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            options.forEach((k, v) -> params.putIfAbsent(k, PyRepr.str(v)));
            for (String k : params.keySet()) {
                if (!List.of("length", "chars").contains(k)) {
                    throw new TemplateException("lookup('password'): moat supports the parameters length and chars, not '" + k + "'");
                }
            }
            Frame f = Frame.current();
            Path p = Path.of(parts[0]);
            if (!p.isAbsolute()) p = (f.baseDir() == null ? Path.of("") : f.baseDir()).resolve(p);
            try {
                if (!p.toString().equals("/dev/null") && Files.exists(p)) {
                    String content = Files.readString(p, StandardCharsets.UTF_8).strip();
                    int salt = content.lastIndexOf(" salt=");
                    String pw = salt < 0 ? content : content.substring(0, salt);
                    f.secret(pw);
                    return pw;
                }
                String pw = generate(Integer.parseInt(params.getOrDefault("length", "20")), chars(params.get("chars")));
                f.secret(pw);
                if (!p.toString().equals("/dev/null")) store(p, pw);
                return pw;
            } catch (IOException e) {
                throw new TemplateException("lookup('password', '" + parts[0] + "'): " + e.getMessage());
            } catch (NumberFormatException e) {
                throw new TemplateException("lookup('password'): length must be a number");
            }
        }

        private Path found(String name, String subdir) {
            return FileSearch.find(name, searchPath(subdir)).orElseThrow(() -> new TemplateException(
                    "lookup('" + kind + "', '" + name + "'): no such file in " + searchPath(subdir)));
        }
    }

    /** {@code files}, or what a {@code with_} loop set for its lookup ({@link FileSearch#LOOP_SUBDIR}). */
    private static String loopSubdir() {
        var v = Frame.current().vars();
        Object s = v != null && v.has(FileSearch.LOOP_SUBDIR) ? v.get(FileSearch.LOOP_SUBDIR) : null;
        return s == null ? "files" : String.valueOf(s);
    }

    private static List<Path> searchPath(String subdir) {
        Frame f = Frame.current();
        Path role = null;
        if (f.vars() != null && f.vars().has("role_path") && f.vars().get("role_path") != null) {
            role = Path.of(String.valueOf(f.vars().get("role_path")));
        }
        return FileSearch.searchPath(f.baseDir(), role, subdir);
    }

    /** Ansible's {@code chars}: names of Python's string constants, or literal characters, comma-separated. */
    private static String chars(String spec) {
        if (spec == null) return CHAR_SETS.get("ascii_letters") + CHAR_SETS.get("digits") + ".,:-_";
        StringBuilder out = new StringBuilder();
        if (spec.contains(",,")) out.append(',');
        for (String c : spec.replace(",,", ",").split(",")) {
            if (!c.isEmpty()) out.append(CHAR_SETS.getOrDefault(c, c));
        }
        return out.toString();
    }

    private static String generate(int length, String chars) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) out.append(chars.charAt(RANDOM.nextInt(chars.length())));
        return out.toString();
    }

    /** Writes a new password file as Ansible does: directories 0700, the file 0600, created so before the secret goes in. */
    private static void store(Path p, String pw) throws IOException {
        Path dir = p.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        try {
            Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        }
        Files.writeString(p, pw + "\n", StandardCharsets.UTF_8);
    }
}
