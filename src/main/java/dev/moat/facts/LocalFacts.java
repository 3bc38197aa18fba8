package dev.moat.facts;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.transport.Sh;

/**
 * Ansible's local facts ({@code ansible_local}): each {@code *.fact} file in {@code path}
 * ({@code /etc/ansible/facts.d} unless setup's {@code fact_path} says otherwise), by its name
 * without {@code .fact}. An executable file is run and its output taken; any other is read. The
 * text is JSON, else INI ({@link FactIni}); what is neither, or a script that fails, becomes
 * Ansible's error message as the fact's value, and a warning. Key {@code facts:local:PATH}.
 */
public record LocalFacts(String path) implements Fact<LocalFacts.Read> {
    public static final String DEFAULT_PATH = "/etc/ansible/facts.d";
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * The facts by file name (null when Ansible's collector fails as a whole: {@code ansible_local}
     * is then not defined), and Ansible's warnings for the files that failed.
     */
    public record Read(Map<String, Object> facts, List<String> warnings) {}

    public LocalFacts {
        if (path == null || path.isEmpty()) throw new IllegalArgumentException("fact_path required");
    }

    @Override
    public String key() {
        return "facts:local:" + path;
    }

    @Override
    public String script() {
        return "d=" + Sh.q(path) + "\n"
                + "[ -d \"$d\" ] || exit 0\n"
                + "for f in \"$d\"/*.fact; do\n"
                + "  [ -e \"$f\" ] || continue\n"
                + "  if [ -x \"$f\" ]; then\n"
                + "    t=$(mktemp) || exit 1\n"
                + "    \"$f\" >\"$t\" 2>\"$t.e\" </dev/null; rc=$?\n"
                + "    printf 'exec %s %s\\n' \"$rc\" \"${f##*/}\"; base64 -w0 <\"$t\"; echo; base64 -w0 <\"$t.e\"; echo\n"
                + "    rm -f \"$t\" \"$t.e\"\n"
                + "  else printf 'file 0 %s\\n' \"${f##*/}\"; base64 -w0 <\"$f\" 2>/dev/null; echo; echo; fi\n"
                + "done";
    }

    @Override
    public Read parse(FactOutput out) {
        Map<String, Object> facts = new TreeMap<>();
        List<String> warnings = new ArrayList<>();
        String[] lines = out.text().split("\n", -1);
        for (int i = 0; i + 2 < lines.length; i += 3) {
            String[] head = lines[i].split(" ", 3);
            if (head.length < 3) break;
            String file = path + "/" + head[2];
            String name = head[2].replace(".fact", "");
            String text;
            try {
                text = utf8(Base64.getDecoder().decode(lines[i + 1].strip()));
            } catch (CharacterCodingException e) {
                String msg = "error loading fact - output of running \"" + file + "\" was not utf-8";
                facts.put(name, msg);
                warnings.add(msg);
                continue;
            }
            if (head[0].equals("exec") && !head[1].equals("0")) {
                String err = new String(Base64.getDecoder().decode(lines[i + 2].strip()), StandardCharsets.UTF_8);
                String msg = "Failure executing fact script (" + file + "), rc: " + head[1] + ", err: " + err;
                facts.put(name, msg);
                warnings.add(msg);
                continue;
            }
            Object fact;
            try {
                fact = JSON.readValue(text, Object.class);
            } catch (JsonProcessingException e) {
                try {
                    fact = FactIni.parse(text);
                } catch (FactIni.BadValue bad) {
                    // Raised inside Ansible's own handler, it ends the whole collector: no ansible_local at all.
                    warnings.add("local facts not gathered, as in Ansible: " + file + ": " + bad.getMessage());
                    return new Read(null, List.copyOf(warnings));
                }
                if (fact == null) {
                    String msg = "error loading facts as JSON or ini - please check content: " + file;
                    warnings.add(msg);
                    fact = msg;
                }
            }
            facts.put(name, fact);
        }
        return new Read(facts, List.copyOf(warnings));
    }

    private static String utf8(byte[] b) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(b)).toString();
    }
}
