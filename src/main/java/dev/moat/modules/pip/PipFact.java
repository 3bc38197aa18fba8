package dev.moat.modules.pip;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;
import dev.moat.transport.Sh;

/**
 * A virtualenv as {@code pip} sees it: whether it exists ({@code bin/activate}, Ansible's test), the
 * pip it holds ({@code bin/pip3}, then {@code bin/pip}, or {@code pip} when given), its package set
 * ({@code pip list --format=freeze}, what Ansible's check compares), and, when {@code install} is
 * not null, what {@code pip install --dry-run --report} with those arguments would install: pip's
 * own answer to "is this converged", extra arguments, requirements files and {@code -U} included.
 * Run from {@code chdir} with the virtualenv's bin first on PATH, as Ansible runs pip.
 * Key {@code pip:VENV/...}, under the virtualenv's path, so a change to it makes the read stale.
 */
public record PipFact(String venv, String pip, String chdir, List<String> install) implements Fact<PipState> {
    private static final ObjectMapper JSON = new ObjectMapper();

    public PipFact {
        install = install == null ? null : List.copyOf(install);
    }

    @Override
    public String key() {
        return "pip:" + venv + "/" + (pip == null ? "" : pip) + "|" + chdir + "|" + (install == null ? "-" : String.join(" ", install));
    }

    @Override
    public String script() {
        StringBuilder s = new StringBuilder();
        s.append("v=").append(Sh.q(venv)).append("; p=").append(pip == null ? "''" : Sh.q(pip)).append("\n");
        s.append("cd ").append(Sh.q(chdir)).append(" 2>/dev/null || cd /\n");
        s.append("if [ -f \"$v/bin/activate\" ]; then echo venv=yes; else echo venv=no; exit 0; fi\n");
        s.append("if [ -z \"$p\" ]; then for c in pip3 pip; do if [ -x \"$v/bin/$c\" ]; then p=\"$v/bin/$c\"; break; fi; done; fi\n");
        s.append("if [ -z \"$p\" ] || ! [ -x \"$p\" ]; then echo pip=; exit 0; fi\n");
        s.append("printf 'pip=%s\\n' \"$p\"; PATH=\"$v/bin:$PATH\"; export PATH\n");
        s.append("echo @@freeze; \"$p\" list --format=freeze --disable-pip-version-check 2>/dev/null\n");
        if (install != null) {
            s.append("t=$(mktemp) || exit 3\n");
            s.append("e=$(\"$p\" install --dry-run --quiet --disable-pip-version-check --report \"$t\"");
            for (String a : install) s.append(' ').append(Sh.q(a));
            s.append(" 2>&1); r=$?\n");
            s.append("printf '@@dry %s\\n' \"$r\"; cat \"$t\"; rm -f \"$t\"; echo; echo @@err; printf '%s\\n' \"$e\"\n");
        }
        return s.toString();
    }

    @Override
    public PipState parse(FactOutput out) throws TaskException {
        if (out.rc() != 0) throw new TaskException("cannot read virtualenv " + venv + ": " + out.errText().strip());
        return parse(out.text());
    }

    /** Parses the script's output (also used by tests on recorded outputs). */
    public static PipState parse(String text) throws TaskException {
        boolean exists = text.startsWith("venv=yes");
        String pip = null;
        List<String> freeze = new ArrayList<>();
        Integer dryRc = null;
        StringBuilder report = new StringBuilder();
        StringBuilder err = new StringBuilder();
        String section = "";
        for (String line : text.split("\n", -1)) {
            if (section.isEmpty() && line.startsWith("pip=")) {
                pip = line.substring(4);
            } else if (line.equals("@@freeze")) {
                section = "freeze";
            } else if (line.startsWith("@@dry ")) {
                section = "dry";
                dryRc = Integer.parseInt(line.substring(6).strip());
            } else if (line.equals("@@err") && section.equals("dry")) {
                section = "err";
            } else if (section.equals("freeze")) {
                if (line.contains("==")) freeze.add(line.strip());
            } else if (section.equals("dry")) {
                report.append(line).append('\n');
            } else if (section.equals("err")) {
                err.append(line).append('\n');
            }
        }
        if (!exists) return PipState.absent();
        List<PipState.Dist> installs = null;
        if (dryRc != null && dryRc == 0) {
            installs = new ArrayList<>();
            try {
                JsonNode r = JSON.readTree(report.toString().strip());
                for (JsonNode i : r.path("install")) {
                    installs.add(new PipState.Dist(i.at("/metadata/name").asText(), i.at("/metadata/version").asText()));
                }
            } catch (Exception e) {
                throw new TaskException("cannot read pip's installation report: " + e.getMessage());
            }
        }
        return new PipState(true, pip == null || pip.isEmpty() ? null : pip, freeze, dryRc, installs, err.toString().strip());
    }
}
