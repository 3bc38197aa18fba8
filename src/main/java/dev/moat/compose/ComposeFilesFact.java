package dev.moat.compose;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;
import dev.moat.transport.Sh;

/**
 * Finds compose files and reads them, with the {@code .env} beside each, in one snippet: the
 * {@code paths} and {@code files} given, and what a {@link ComposeSearch} of the {@code search}
 * directories finds ({@code depth} levels down, plus the files the containers' labels name).
 * Files that are not there are skipped; with no {@code docker} no labelled file is added.
 *
 * <p>Framing: each file is a header line {@code F<TAB>size<TAB>path<TAB>realpath} followed by exactly
 * {@code size} bytes of content; a {@code .env} is {@code E<TAB>size<TAB>path} and its bytes; a given
 * path that does not exist is {@code M<TAB>path}; a file over {@link #MAX_BYTES} is only named,
 * {@code B<TAB>size<TAB>path}, and fails the task (a host must not make moat hold gigabytes). Sizes make the framing immune to whatever the
 * files contain. Paths with a tab or newline are skipped (they cannot be framed and no one names a
 * compose directory so).
 */
public record ComposeFilesFact(List<String> paths, List<String> search, int depth) implements Fact<ComposeFiles> {
    /** The files Compose reads in a directory when no {@code -f} is given: the first base name found, then the first override. */
    public static final List<String> NAMES = List.of("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml",
            "compose.override.yaml", "compose.override.yml", "docker-compose.override.yaml", "docker-compose.override.yml");

    /** The largest compose or {@code .env} file read: real ones are a few KiB. */
    public static final int MAX_BYTES = 1024 * 1024;

    public ComposeFilesFact {
        paths = List.copyOf(paths);
        search = List.copyOf(search);
    }

    @Override
    public String key() {
        return "compose:files:" + String.join(",", paths) + "|" + String.join(",", search) + "|" + depth;
    }

    @Override
    public String script() {
        StringBuilder s = new StringBuilder();
        s.append("moat_emit() {\n")
         .append("  case \"$1\" in *'\t'*|*'\n'*) return 0;; esac\n")
         .append("  if [ ! -f \"$1\" ]; then [ \"$2\" = given ] && printf 'M\\t%s\\n' \"$1\"; return 0; fi\n")
         .append("  r=$(readlink -f -- \"$1\" 2>/dev/null) || r=$1\n")
         .append("  n=$(wc -c < \"$1\" | tr -d ' ') || return 0\n")
         .append("  if [ \"$n\" -gt ").append(MAX_BYTES).append(" ]; then printf 'B\\t%s\\t%s\\n' \"$n\" \"$1\"; return 0; fi\n")
         .append("  printf 'F\\t%s\\t%s\\t%s\\n' \"$n\" \"$1\" \"$r\"\n")
         .append("  head -c \"$n\" -- \"$1\"\n")
         .append("  e=\"${1%/*}/.env\"\n")
         .append("  [ -f \"$e\" ] || return 0\n")
         .append("  n=$(wc -c < \"$e\" | tr -d ' ') || return 0\n")
         .append("  if [ \"$n\" -gt ").append(MAX_BYTES).append(" ]; then printf 'B\\t%s\\t%s\\n' \"$n\" \"$e\"; return 0; fi\n")
         .append("  printf 'E\\t%s\\t%s\\n' \"$n\" \"$e\"; head -c \"$n\" -- \"$e\"\n")
         .append("}\n");
        for (String p : paths) s.append("moat_emit ").append(Sh.q(p)).append(" given\n");
        if (!search.isEmpty()) {
            s.append(new ComposeSearch(search, depth).script()).append(" | while IFS= read -r f; do moat_emit \"$f\" found; done\n");
        }
        s.append("exit 0\n");
        return s.toString();
    }

    @Override
    public ComposeFiles parse(FactOutput out) throws TaskException {
        return parse(out.stdout());
    }

    static ComposeFiles parse(byte[] b) throws TaskException {
        Map<String, ComposeFile> byReal = new LinkedHashMap<>();
        Map<String, String> envs = new HashMap<>();
        List<String[]> heads = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        Set<String> missing = new LinkedHashSet<>();
        List<String> errors = new ArrayList<>();
        List<String> tooBig = new ArrayList<>();
        int i = 0;
        while (i < b.length) {
            int nl = i;
            while (nl < b.length && b[nl] != '\n') nl++;
            String head = new String(b, i, nl - i, StandardCharsets.UTF_8);
            i = nl + 1;
            if (head.isEmpty()) continue;
            String[] f = head.split("\t", -1);
            if (f[0].equals("M") && f.length == 2) {
                missing.add(f[1]);
                continue;
            }
            if (f[0].equals("B") && f.length == 3 && f[1].matches("[0-9]{1,19}")) {
                tooBig.add(f[2] + " is " + f[1] + " bytes");
                continue;
            }
            if (!(f[0].equals("F") && f.length == 4) && !(f[0].equals("E") && f.length == 3)) {
                throw new TaskException("compose_ports: unexpected output while reading compose files: " + head);
            }
            int n;
            try {
                n = Integer.parseInt(f[1].trim());
            } catch (NumberFormatException e) {
                throw new TaskException("compose_ports: bad size in file listing: " + head);
            }
            if (n > MAX_BYTES) {
                tooBig.add(f[2] + " is " + n + " bytes");
                i += Math.min(n, b.length - i);
                continue;
            }
            if (n < 0 || i + n > b.length) throw new TaskException("compose_ports: " + f[2] + " was cut short while reading it");
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, i, n)).toString();
            } catch (CharacterCodingException e) {
                errors.add(f[2] + ": not UTF-8 text; left as is");
                i += n;
                continue;
            }
            i += n;
            if (f[0].equals("E")) {
                envs.put(f[2], text);
            } else {
                heads.add(f);
                texts.add(text);
            }
        }
        if (!tooBig.isEmpty()) {
            throw new TaskException("compose_ports: " + String.join("; ", tooBig) + ", over the " + (MAX_BYTES / 1024 / 1024)
                    + " MiB moat reads of a compose or .env file; nothing was changed");
        }
        for (int k = 0; k < heads.size(); k++) {
            String[] f = heads.get(k);
            String path = f[2];
            String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : ".";
            Map<String, String> env = Interpolation.parseEnvFile(envs.get(dir + "/.env"));
            byReal.putIfAbsent(f[3], new ComposeFile(path, f[3], texts.get(k), env));
        }
        return new ComposeFiles(new ArrayList<>(byReal.values()), new ArrayList<>(missing), errors);
    }
}
