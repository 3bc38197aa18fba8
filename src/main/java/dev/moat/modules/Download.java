package dev.moat.modules;

import java.util.Map;

import dev.moat.facts.CommandFact;
import dev.moat.transport.Sh;

/**
 * Downloading on the host with whichever of {@code curl}, {@code wget} and {@code python3} it has
 * (the {@link #TOOL} fact), for {@code get_url} and {@code unarchive}'s remote URLs. The shell
 * function {@code dl URL OUT} fails on an HTTP error, follows redirects, gives up after
 * {@code timeout} seconds without progress; credentials come from the variables {@code MOAT_U} and
 * {@code MOAT_P} (set from the step's stdin, never written in a script or an argument list).
 */
final class Download {
    private Download() {}

    /** Which download tool the host has: "curl", "wget", "python3", or nothing. */
    static final CommandFact TOOL = new CommandFact("cmd:download-tool",
            "for t in curl wget python3; do if command -v $t >/dev/null 2>&1; then echo $t; break; fi; done; true");

    /** The options of one download. */
    record Options(Map<String, String> headers, int timeout, boolean validateCerts, boolean auth) {}

    /** The tool a download uses, from the fact's output; null when the host has none. */
    static String tool(String factOutput) {
        String t = factOutput.strip();
        return t.isEmpty() ? null : t;
    }

    /** Shell defining {@code dl URL OUT} for {@code tool}; {@code $d} is a private directory for its files. */
    static String function(String tool, Options o) {
        StringBuilder h = new StringBuilder();
        switch (tool) {
            case "curl": {
                for (Map.Entry<String, String> e : o.headers().entrySet()) h.append(" -H ").append(Sh.q(e.getKey() + ": " + e.getValue()));
                String cfg = o.auth()
                        ? "esc() { printf '%s' \"$1\" | sed 's/[\\\\\"]/\\\\&/g'; }\nprintf 'user = \"%s:%s\"\\n' \"$(esc \"$MOAT_U\")\" \"$(esc \"$MOAT_P\")\" > \"$d/curlrc\"\n"
                        : ": > \"$d/curlrc\"\n";
                return cfg + "dl() { curl -q -K \"$d/curlrc\" -fsSL --connect-timeout " + o.timeout() + " --speed-limit 1 --speed-time "
                        + o.timeout() + (o.validateCerts() ? "" : " -k") + h + " -o \"$2\" -- \"$1\"; }\n";
            }
            case "wget": {
                for (Map.Entry<String, String> e : o.headers().entrySet()) h.append(" --header=").append(Sh.q(e.getKey() + ": " + e.getValue()));
                String rc = o.auth() ? "printf 'auth_no_challenge=on\\nuser=%s\\npassword=%s\\n' \"$MOAT_U\" \"$MOAT_P\" > \"$d/wgetrc\"\n" : ": > \"$d/wgetrc\"\n";
                return rc + "dl() { WGETRC=\"$d/wgetrc\" wget -q -T " + o.timeout() + (o.validateCerts() ? "" : " --no-check-certificate") + h
                        + " -O \"$2\" -- \"$1\"; }\n";
            }
            default: {
                StringBuilder py = new StringBuilder("import os,ssl,sys,base64,shutil,urllib.request as u\n")
                        .append("r=u.Request(sys.argv[1])\n");
                for (Map.Entry<String, String> e : o.headers().entrySet()) {
                    py.append("r.add_header(").append(pyStr(e.getKey())).append(',').append(pyStr(e.getValue())).append(")\n");
                }
                if (o.auth()) {
                    py.append("r.add_header('Authorization','Basic '+base64.b64encode((os.environ['MOAT_U']+':'+os.environ['MOAT_P']).encode()).decode())\n");
                }
                py.append("c=None if ").append(o.validateCerts() ? "True" : "False").append(" else ssl._create_unverified_context()\n")
                        .append("with u.urlopen(r,timeout=").append(o.timeout()).append(",context=c) as s, open(sys.argv[2],'wb') as f: shutil.copyfileobj(s,f)\n");
                return "dl() { " + (o.auth() ? "MOAT_U=\"$MOAT_U\" MOAT_P=\"$MOAT_P\" " : "") + "python3 -c " + Sh.q(py.toString())
                        + " \"$1\" \"$2\"; }\n";
            }
        }
    }

    private static String pyStr(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'";
    }
}
