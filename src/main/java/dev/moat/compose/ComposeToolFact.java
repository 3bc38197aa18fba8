package dev.moat.compose;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.transport.Sh;

/**
 * Detects {@link ComposeTool}: prints {@code plugin<TAB>VERSION} and/or {@code standalone<TAB>VERSION}.
 * It reads files rather than running Compose (Debian's docker-compose is Python: about 0.5 s of CPU
 * to print its version): the plugin is there when the docker CLI is and a {@code docker-compose}
 * executable lies in one of the CLI's plugin directories (the user's {@code $DOCKER_CONFIG/cli-plugins},
 * else {@code ~/.docker/cli-plugins}, then the system ones, in the CLI's order); a file a dpkg
 * package installed has that package's upstream version, the one {@code version --short} prints
 * (Debian's {@code docker-compose 1.29.2-3} prints {@code 1.29.2}). Only a file no package owns, or
 * a CLI configured with extra plugin directories, is asked by running it, as before.
 */
public record ComposeToolFact(String root) implements Fact<ComposeTool> {
    /** Plugin directories after the user's, in the order the docker CLI searches them. */
    static final String SYSTEM_PLUGIN_DIRS = "/usr/local/lib/docker/cli-plugins /usr/local/libexec/docker/cli-plugins /usr/lib/docker/cli-plugins /usr/libexec/docker/cli-plugins";

    /** On the host: paths as they are. */
    public ComposeToolFact() {
        this("");
    }

    @Override
    public String key() {
        return "compose:tool";
    }

    /**
     * {@code root} prefixes every file read (tests point it at recorded files; empty on a host). A
     * dpkg database with pending updates is not trusted: the command answers then.
     */
    @Override
    public String script() {
        String r = Sh.q(root);
        return "R=" + r + "\n"
                + "deb() {\n"
                // $1 package, $2 file: the package's upstream version when dpkg says the package is installed and shipped the file.
                + "  s=$R/var/lib/dpkg/status; set -- \"$1\" \"$2\" $R/var/lib/dpkg/updates/[0-9]*\n"
                + "  [ ! -e \"$3\" ] && [ -r \"$s\" ] && [ -r \"$R/var/lib/dpkg/info/$1.list\" ] || return 1\n"
                + "  awk -v p=\"Package: $1\" -v f=\"$2\" -v s=\"$s\" 'FILENAME != s { if ($0 == f) o = 1; next } !o { exit }"
                + " $0 == p { x = 1; next } x && $0 == \"\" { exit } x && /^Status: / { st = substr($0, 9) } x && /^Version: / { v = substr($0, 10) }"
                + " END { if (!o || st !~ / installed$/ || v == \"\") exit 1; sub(/^[0-9]+:/, \"\", v); sub(/-[^-]*$/, \"\", v); print v }'"
                + " \"$R/var/lib/dpkg/info/$1.list\" \"$s\"\n"
                + "}\n"
                + DockerFiles.REAL
                + "real() { if moat_real \"$1\"; then r=$1; else r=$(readlink -f -- \"$1\" 2>/dev/null) || r=$1; fi; printf '%s' \"${r#\"$R\"}\"; }\n"
                + "if command -v docker >/dev/null 2>&1; then\n"
                + "  c=${DOCKER_CONFIG:-$HOME/.docker}; p=\n"
                + "  if [ -f \"$R$c/config.json\" ] && grep -q cliPluginsExtraDirs \"$R$c/config.json\" 2>/dev/null; then p=run\n"
                + "  else for d in \"$c/cli-plugins\" " + SYSTEM_PLUGIN_DIRS + "; do [ -f \"$R$d/docker-compose\" ] && [ -x \"$R$d/docker-compose\" ] && { p=$R$d/docker-compose; break; }; done; fi\n"
                + "  if [ \"$p\" = run ]; then\n"
                + "    if docker compose version >/dev/null 2>&1; then printf 'plugin\\t%s\\n' \"$(docker compose version --short 2>/dev/null)\"; fi\n"
                + "  elif [ -n \"$p\" ]; then\n"
                + "    if v=$(deb docker-compose-plugin \"$(real \"$p\")\"); then printf 'plugin\\t%s\\n' \"$v\"\n"
                + "    elif docker compose version >/dev/null 2>&1; then printf 'plugin\\t%s\\n' \"$(docker compose version --short 2>/dev/null)\"; fi\n"
                + "  fi\n"
                + "fi\n"
                + "if p=$(command -v docker-compose 2>/dev/null); then\n"
                + "  v=$(deb docker-compose \"$(real \"$p\")\") || v=$(docker-compose version --short 2>/dev/null)\n"
                + "  printf 'standalone\\t%s\\n' \"$v\"\n"
                + "fi\n"
                + "exit 0\n";
    }

    @Override
    public ComposeTool parse(FactOutput out) {
        return parse(out.text());
    }

    static ComposeTool parse(String text) {
        boolean plugin = false;
        boolean standalone = false;
        String pv = null;
        String sv = null;
        for (String line : text.split("\n")) {
            String[] f = line.split("\t", 2);
            String v = f.length > 1 ? f[1].strip() : "";
            if (f[0].equals("plugin")) {
                plugin = true;
                pv = v;
            } else if (f[0].equals("standalone")) {
                standalone = true;
                sv = v;
            }
        }
        return new ComposeTool(plugin, pv, standalone, sv);
    }
}
