package dev.moat.modules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.module.ArgException;
import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Args;
import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.Facts;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Spec;
import dev.moat.module.TaskException;
import dev.moat.transport.Sh;

/**
 * Ansible's {@code stat}: reads a path's kind, mode, owners, size, times, and on request its checksum,
 * MIME type and file attributes, into the registered result's {@code stat} map with Ansible's keys
 * and types ({@code stat.exists}, {@code stat.mode} as "0644", {@code stat.mtime} as a float, ...).
 * It never changes the host, records no undo and behaves the same in check mode. Its read is a
 * {@link Read} fact, so it joins the one batched read of the host like every other module's.
 *
 * <p>Like Ansible 2.14 it reads the path without following a final symlink unless {@code follow};
 * checksums a readable regular file ({@code get_checksum}, {@code checksum_algorithm}); runs
 * {@code file --mime-type --mime-encoding} ({@code get_mime}) and {@code lsattr -vd}
 * ({@code get_attributes}), both on by default, giving {@code unknown} and empty attributes where
 * those tools fail or are missing; reports {@code readable}, {@code writeable} and {@code executable}
 * for the user the task runs as. A missing path (or a dangling link followed) is
 * {@code stat.exists: false}; any other failure to stat (not a directory, permission denied) fails the
 * task with the system's message, as Ansible does.
 *
 * <p>moat returns every key Ansible 2.14 returns on Linux. Not provided: the keys only BSD and macOS
 * have ({@code flags}, {@code generation}, {@code birthtime}, {@code file_type}, ...), and {@code md5}
 * of 2.14's undocumented {@code get_md5} (gone in newer Ansible). Differences: {@code path} must be
 * absolute (no {@code ~}); a uid or gid without a name has no {@code pw_name} / {@code gr_name}, as in
 * Ansible, but so does a user literally named {@code UNKNOWN} (what {@code stat} prints for no name);
 * a failure's message names the path. Needs GNU {@code stat} (fractional times) on the host.
 *
 * <pre>
 * - stat:
 *     path: /etc/nginx/auth/htpasswd
 *     checksum_algorithm: sha256
 *   register: auth
 * - debug:
 *     msg: "htpasswd is {{ auth.stat.mode }}, sha256 {{ auth.stat.checksum }}"
 *   when: auth.stat.exists
 * </pre>
 */
public final class Stat implements Module<Stat.StatArgs> {
    /** Validated arguments; {@code checksum} is the algorithm, or null when no checksum is wanted. */
    public record StatArgs(String path, boolean follow, String checksum, boolean mime, boolean attributes) {}

    static final Spec SPEC = Spec.of(
            ArgSpec.required("path", ArgType.STRING).withAliases("dest", "name"),
            ArgSpec.optional("follow", ArgType.BOOL, false),
            ArgSpec.optional("get_checksum", ArgType.BOOL, true),
            ArgSpec.choice("checksum_algorithm", "sha1", "md5", "sha1", "sha224", "sha256", "sha384", "sha512")
                    .withAliases("checksum", "checksum_algo"),
            ArgSpec.optional("get_mime", ArgType.BOOL, true).withAliases("mime", "mime_type", "mime-type"),
            ArgSpec.optional("get_attributes", ArgType.BOOL, true).withAliases("attr", "attributes"));

    @Override
    public String name() {
        return "stat";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public StatArgs bind(Args a) throws ArgException {
        Paths.absolute("path", a.str("path"));
        // Ansible keeps the path as given (a trailing slash makes stat of a file fail), so do we.
        return new StatArgs(a.str("path"), a.bool("follow"), a.bool("get_checksum") ? a.str("checksum_algorithm") : null,
                a.bool("get_mime"), a.bool("get_attributes"));
    }

    @Override
    public List<Fact<?>> reads(StatArgs args) {
        return List.of(read(args));
    }

    static Read read(StatArgs a) {
        return new Read(a.path(), a.follow(), a.checksum(), a.mime(), a.attributes());
    }

    @Override
    public Plan plan(StatArgs args, Facts facts, PlanContext ctx) throws TaskException {
        return Plan.converged().withResult(Map.of("stat", facts.get(read(args))));
    }

    /**
     * The read behind {@code stat}: one path's {@code stat} map as Ansible builds it. Its key is
     * {@code stat+OPTIONS:PATH}, so a task that touches {@code file:PATH} (or a directory above it)
     * makes it read again.
     *
     * <p>Output: {@code absent}, or {@code error MESSAGE}, or the three lines of {@code stat -c}
     * (numbers, owner name, group name) followed by tagged lines: {@code access} with the letters of
     * {@code test -r/-w/-x} that hold, {@code target} and {@code real} for a link (not followed),
     * {@code checksum}, {@code mime} (what {@code file} printed) and {@code attr} (what {@code lsattr}
     * printed), each only when its command succeeded.
     */
    record Read(String path, boolean follow, String checksum, boolean mime, boolean attributes)
            implements Fact<Map<String, Object>> {
        /** {@code lsattr} letters and Ansible's names for them (module_utils FILE_ATTRIBUTES). */
        private static final Map<Character, String> ATTRIBUTES = attributeNames();

        @Override
        public String key() {
            return "stat" + (follow ? "+follow" : "") + (checksum != null ? "+" + checksum : "") + (mime ? "+mime" : "")
                    + (attributes ? "+attr" : "") + ":" + path;
        }

        @Override
        public String script() {
            String regular = follow ? "[ -f \"$p\" ]" : "[ -f \"$p\" ] && [ ! -L \"$p\" ]";
            StringBuilder s = new StringBuilder("p=").append(Sh.q(path)).append('\n');
            s.append("if s=$(LC_ALL=C stat ").append(follow ? "-L " : "")
                    .append("-c '%f %u %g %s %i %d %h %.9X %.9Y %.9Z %b %o %t %T\n%U\n%G' -- \"$p\" 2>&1); then\n")
                    .append("printf '%s\\n' \"$s\"\n")
                    .append("a=; [ -r \"$p\" ] && a=r; [ -w \"$p\" ] && a=${a}w; [ -x \"$p\" ] && a=${a}x; printf 'access %s\\n' \"$a\"\n");
            if (!follow) {
                s.append("if [ -L \"$p\" ]; then printf 'target %s\\n' \"$(readlink -- \"$p\")\";")
                        .append(" printf 'real %s\\n' \"$(readlink -m -- \"$p\" 2>/dev/null || readlink -f -- \"$p\")\"; fi\n");
            }
            if (checksum != null) {
                s.append("if ").append(regular).append(" && [ -r \"$p\" ] && c=$(").append(checksum)
                        .append("sum < \"$p\"); then printf 'checksum %s\\n' \"${c%% *}\"; fi\n");
            }
            if (mime) {
                s.append("if m=$(file --mime-type --mime-encoding -- \"$p\" 2>/dev/null </dev/null); then printf 'mime %s\\n' \"$m\"; fi\n");
            }
            if (attributes) {
                s.append("if l=$(lsattr -vd -- \"$p\" 2>/dev/null </dev/null); then printf 'attr %s\\n' \"$l\"; fi\n");
            }
            return s.append("elif [ \"${s%No such file or directory}\" != \"$s\" ]; then echo absent\n")
                    .append("else printf 'error %s\\n' \"$s\"; fi").toString();
        }

        @Override
        public Map<String, Object> parse(FactOutput out) throws TaskException {
            List<String> lines = out.text().lines().toList();
            if (out.rc() != 0 || lines.isEmpty()) throw new TaskException("cannot stat " + path + ": " + out.errText().strip());
            Map<String, Object> st = new LinkedHashMap<>();
            if (lines.get(0).equals("absent")) {
                st.put("exists", false);
                return st;
            }
            if (lines.get(0).startsWith("error ")) {
                String msg = lines.get(0).substring(6);
                throw new TaskException("cannot stat " + path + ": " + msg.substring(msg.lastIndexOf(": ") + 2));
            }
            String[] f = lines.get(0).split(" ");
            if (f.length != 14 || lines.size() < 3) throw new TaskException("cannot stat " + path + ": unexpected output '" + out.text().strip() + "'");
            int mode = Integer.parseInt(f[0], 16);
            st.put("exists", true);
            st.put("path", path);
            st.put("mode", String.format("%04o", mode & 07777));
            int type = mode & 0170000;
            st.put("isdir", type == 0040000);
            st.put("ischr", type == 0020000);
            st.put("isblk", type == 0060000);
            st.put("isreg", type == 0100000);
            st.put("isfifo", type == 0010000);
            st.put("islnk", type == 0120000);
            st.put("issock", type == 0140000);
            st.put("uid", Long.parseLong(f[1]));
            st.put("gid", Long.parseLong(f[2]));
            st.put("size", Long.parseLong(f[3]));
            st.put("inode", Long.parseLong(f[4]));
            st.put("dev", Long.parseLong(f[5]));
            st.put("nlink", Long.parseLong(f[6]));
            st.put("atime", seconds(f[7]));
            st.put("mtime", seconds(f[8]));
            st.put("ctime", seconds(f[9]));
            String[] bits = {"wusr", "rusr", "xusr", "wgrp", "rgrp", "xgrp", "woth", "roth", "xoth", "isuid", "isgid"};
            int[] masks = {0200, 0400, 0100, 020, 040, 010, 02, 04, 01, 04000, 02000};
            for (int i = 0; i < bits.length; i++) st.put(bits[i], (mode & masks[i]) != 0);
            st.put("blocks", Long.parseLong(f[10]));
            st.put("block_size", Long.parseLong(f[11]));
            st.put("device_type", makedev(Long.parseLong(f[12], 16), Long.parseLong(f[13], 16)));
            Map<String, String> tagged = tagged(lines.subList(3, lines.size()));
            String access = tagged.getOrDefault("access", "");
            st.put("readable", access.contains("r"));
            st.put("writeable", access.contains("w"));
            st.put("executable", access.contains("x"));
            if (tagged.containsKey("target")) {
                st.put("lnk_source", tagged.get("real"));
                st.put("lnk_target", tagged.get("target"));
            }
            if (!lines.get(1).equals("UNKNOWN")) st.put("pw_name", lines.get(1));
            if (!lines.get(2).equals("UNKNOWN")) st.put("gr_name", lines.get(2));
            if (tagged.containsKey("checksum")) st.put("checksum", tagged.get("checksum"));
            if (mime) mime(st, tagged.get("mime"));
            if (attributes) attributes(st, tagged.get("attr"));
            return st;
        }

        private Map<String, String> tagged(List<String> lines) throws TaskException {
            Map<String, String> out = new LinkedHashMap<>();
            for (String l : lines) {
                int sp = l.indexOf(' ');
                String tag = sp < 0 ? l : l.substring(0, sp);
                if (!List.of("access", "target", "real", "checksum", "mime", "attr").contains(tag)) {
                    throw new TaskException("cannot stat " + path + ": unexpected line '" + l + "'");
                }
                out.put(tag, sp < 0 ? "" : l.substring(sp + 1));
            }
            return out;
        }

        /** Ansible's reading of {@code file}'s "PATH: TYPE; charset=CHARSET", {@code unknown} when it does not parse. */
        static void mime(Map<String, Object> st, String line) {
            st.put("mimetype", "unknown");
            st.put("charset", "unknown");
            if (line == null || line.indexOf(':') < 0) return;
            String[] parts = line.substring(line.lastIndexOf(':') + 1).split(";", -1);
            if (parts.length != 2) return;
            String[] cs = parts[1].split("=", -1);
            if (cs.length < 2) return;
            st.put("mimetype", parts[0].strip());
            st.put("charset", cs[1].strip());
        }

        /** Ansible's reading of {@code lsattr -vd}'s "VERSION FLAGS PATH": version null and no attributes when it failed. */
        static void attributes(Map<String, Object> st, String line) {
            String version = null;
            String flags = "";
            String[] f = line == null ? new String[0] : line.strip().split("\\s+");
            if (f.length >= 2) {
                version = f[0];
                flags = f[1].replace("-", "");
            }
            List<String> names = new ArrayList<>();
            for (char c : flags.toCharArray()) if (ATTRIBUTES.containsKey(c)) names.add(ATTRIBUTES.get(c));
            st.put("version", version);
            st.put("attributes", names);
            st.put("attr_flags", flags);
        }

        /** Seconds as Python's {@code st_mtime} has them: whole seconds plus nanoseconds times 1e-9, as a double. */
        static double seconds(String text) {
            int dot = text.indexOf('.');
            if (dot < 0 || text.startsWith("-")) return Double.parseDouble(text);
            return Long.parseLong(text.substring(0, dot)) + Long.parseLong(text.substring(dot + 1)) * 1e-9;
        }

        /** glibc's {@code makedev}: the {@code st_rdev} that Ansible's {@code device_type} is. */
        static long makedev(long major, long minor) {
            return ((major & 0xfffL) << 8) | ((major & 0xfffff000L) << 32) | (minor & 0xffL) | ((minor & 0xffffff00L) << 12);
        }

        private static Map<Character, String> attributeNames() {
            Map<Character, String> m = new LinkedHashMap<>();
            String[] pairs = {"Anoatime", "aappend", "ccompressed", "Cnocow", "dnodump", "Ddirsync", "eextents",
                    "Eencrypted", "hblocksize", "iimmutable", "Iindexed", "jjournalled", "Ninline", "szero",
                    "Ssynchronous", "tnotail", "Tblockroot", "uundelete", "Xcompressedraw", "Zcompresseddirty"};
            for (String p : pairs) m.put(p.charAt(0), p.substring(1));
            return Map.copyOf(m);
        }
    }
}
