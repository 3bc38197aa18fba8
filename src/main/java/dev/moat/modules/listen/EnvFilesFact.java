package dev.moat.modules.listen;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.facts.FileState;
import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;
import dev.moat.scan.UnitEnvScan;

/**
 * The files that set an AI server's listen address for systemd: units and drop-ins under
 * {@code unitDirs}, {@code /etc/default/*}, {@code /etc/environment}, and every file a unit names
 * with {@code EnvironmentFile=}, each with its content and the units it belongs to or is read by;
 * and whether systemd runs. Only files that assign one of the variables are read (at most 100,
 * each at most 64 KiB; a bigger one is named, not read). Key {@code listen-env:VARS}.
 *
 * <p>Output: {@code @@systemd yes|no}, then per file {@code @@file PATH<TAB>MODE UID GID OWNER GROUP},
 * its base64 content on one line, and {@code @@unit NAME} lines; {@code @@big PATH} for a file over the cap.
 */
public record EnvFilesFact(List<String> vars, List<String> unitDirs) implements Fact<EnvFilesFact.Found> {
    static final int CAP = 65536;

    /** One file that assigns a variable: its state (content included) and the units that read it. */
    public record EnvFile(FileState state, List<String> units) {}

    /** What was found. */
    public record Found(boolean systemd, List<EnvFile> files, List<String> tooBig) {}

    public EnvFilesFact {
        vars = List.copyOf(vars);
        unitDirs = List.copyOf(unitDirs);
        for (String v : vars) if (!v.matches("[A-Z_][A-Z0-9_]*")) throw new IllegalArgumentException("not a variable name: " + v);
    }

    @Override
    public String key() {
        return "listen-env:" + String.join(",", vars);
    }

    @Override
    public String script() {
        UnitEnvScan scan = new UnitEnvScan(unitDirs, List.of("/etc/default", "/etc/environment"), vars);
        String each = perFile(scan);
        // Inside a batched read the unit search is shared with the audit (UnitEnvScan): sort reads
        // the memo's two lists, the bytes the grep -rl and the per-file grep -l printed here before
        // (both empty, the usual case: no sort and head, which would print nothing).
        return String.join("\n",
                "if [ -d /run/systemd/system ]; then echo '@@systemd yes'; else echo '@@systemd no'; fi",
                "if " + scan.fill() + "; then",
                "if [ -s \"$ue.u\" ] || [ -s \"$ue.m\" ]; then sort -u \"$ue.u\" \"$ue.m\" | head -n 100 | " + each + "; fi",
                "else",
                plainScript(scan) + each,
                "fi",
                "exit 0");
    }

    /** The search without a memo: the script as it was before the memo (the reference of its tests). */
    static String plainScript(UnitEnvScan scan) {
        String assign = scan.assign();
        return String.join("\n",
                "envs=$(" + scan.namedFiles() + ")",
                "{ grep -rlIsE " + assign + scan.units() + scan.others() + " 2>/dev/null",
                "  printf '%s\\n' \"$envs\" | while IFS= read -r e; do case \"$e\" in /*%*) ;; /*) [ -f \"$e\" ] && grep -lIsE " + assign + " -- \"$e\";; esac; done",
                "} | sort -u | head -n 100 | ");
    }

    /** Each found file: its size and state from one stat (the size split off by the shell), content, units. */
    static String perFile(UnitEnvScan scan) {
        return String.join("\n",
                "while IFS= read -r f; do",
                "  case \"$f\" in *'\t'*) continue;; esac",
                "  [ -f \"$f\" ] && [ ! -L \"$f\" ] || continue",
                "  s=$(stat -c '%s %a %u %g %U %G' -- \"$f\")",
                "  if [ \"${s%% *}\" -gt " + CAP + " ]; then printf '@@big %s\\n' \"$f\"; continue; fi",
                "  printf '@@file %s\\t%s\\n' \"$f\" \"${s#* }\"",
                "  base64 -w0 < \"$f\"; echo",
                // Units read the file through EnvironmentFile=; a unit's own file or drop-in belongs to that unit.
                "  grep -rlsE \"^[[:space:]]*EnvironmentFile[[:space:]]*=[[:space:]]*-?\\\"?$f\\\"?[[:space:]]*$\" " + scan.units()
                        + " 2>/dev/null | sed -e 's|.*/||' -e 's|^|@@unit |' | sort -u",
                "done");
    }

    @Override
    public Found parse(FactOutput out) throws TaskException {
        return parse(out.text());
    }

    static Found parse(String text) throws TaskException {
        boolean systemd = false;
        Map<String, String[]> heads = new LinkedHashMap<>();
        Map<String, String> contents = new LinkedHashMap<>();
        Map<String, List<String>> units = new LinkedHashMap<>();
        List<String> big = new ArrayList<>();
        String current = null;
        boolean wantContent = false;
        for (String line : text.split("\n", -1)) {
            if (wantContent) {
                contents.put(current, line);
                wantContent = false;
            } else if (line.equals("@@systemd yes")) {
                systemd = true;
            } else if (line.startsWith("@@big ")) {
                big.add(line.substring(6));
            } else if (line.startsWith("@@file ")) {
                String[] f = line.substring(7).split("\t", 2);
                if (f.length < 2) throw new TaskException("unexpected output reading the listen settings: " + line);
                current = f[0];
                heads.put(current, f[1].trim().split(" "));
                units.put(current, new ArrayList<>());
                wantContent = true;
            } else if (line.startsWith("@@unit ") && current != null) {
                units.get(current).add(line.substring(7));
            }
        }
        List<EnvFile> files = new ArrayList<>();
        for (Map.Entry<String, String[]> e : heads.entrySet()) {
            String[] h = e.getValue();
            if (h.length < 5) throw new TaskException("unexpected stat of " + e.getKey() + ": " + String.join(" ", h));
            byte[] body = Base64.getDecoder().decode(contents.getOrDefault(e.getKey(), "").trim());
            String mode = String.format("%04d", Integer.parseInt(h[0]));
            FileState st = new FileState(e.getKey(), FileState.Type.FILE, mode, Integer.parseInt(h[1]), Integer.parseInt(h[2]), h[3], h[4],
                    body.length, null, body, dev.moat.facts.FileFact.sha256(body), false);
            List<String> u = new ArrayList<>(units.get(e.getKey()));
            String own = ownUnit(e.getKey());
            if (own != null && !u.contains(own)) u.add(0, own);
            files.add(new EnvFile(st, List.copyOf(u)));
        }
        return new Found(systemd, List.copyOf(files), List.copyOf(big));
    }

    /** The unit a unit file or drop-in belongs to ({@code ollama.service} for {@code ollama.service.d/x.conf}), else null. */
    static String ownUnit(String path) {
        String[] parts = path.split("/");
        if (parts.length >= 2 && parts[parts.length - 2].endsWith(".service.d")) {
            String d = parts[parts.length - 2];
            return d.substring(0, d.length() - 2);
        }
        String name = parts[parts.length - 1];
        return name.endsWith(".service") ? name : null;
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
