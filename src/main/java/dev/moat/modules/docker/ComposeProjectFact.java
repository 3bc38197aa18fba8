package dev.moat.modules.docker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.compose.Container;
import dev.moat.compose.ContainersFact;
import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;
import dev.moat.transport.Sh;

/**
 * A Compose project as the host sees it, in one read: the Compose command there (the v2 plugin,
 * else a standalone {@code docker-compose}), each service's configuration hash ({@code config
 * --hash '*'}, the value Compose labels its containers with, {@code com.docker.compose.config-hash}),
 * and the inspect of every container labelled with the project.
 */
public record ComposeProjectFact(String src, List<String> files, String project) implements Fact<ComposeProjectFact.Project> {
    /** What was read; {@code problem} says why the project cannot be read (no directory, no Compose, a bad file). */
    public record Project(String tool, Map<String, String> hashes, List<Container> containers, String problem, String defaultFile) {}

    /**
     * A read of the host as a whole ({@link dev.moat.module.FactKeys#HOST}): any change before it
     * (its file or an env file written, an image loaded, a container touched) makes it stale.
     */
    @Override
    public String key() {
        return dev.moat.module.FactKeys.HOST + "compose-project:" + project + ":" + src + ":" + String.join(",", files);
    }

    /** The Compose command line up to the subcommand; {@code $dc} is the tool the host has. */
    public static String base(List<String> files, String project) {
        StringBuilder s = new StringBuilder("$dc");
        for (String f : files) s.append(" -f ").append(Sh.q(f));
        return s.append(" -p ").append(Sh.q(project)).toString();
    }

    /** Picks {@code $dc}: the plugin when {@code docker compose version} works, else {@code docker-compose}. */
    public static final String TOOL = "if docker compose version >/dev/null 2>&1; then dc='docker compose';"
            + " elif command -v docker-compose >/dev/null 2>&1; then dc=docker-compose; else dc=; fi\n";

    @Override
    public String script() {
        return "cd " + Sh.q(src) + " 2>/dev/null || { printf '@@problem\\t%s\\n' " + Sh.q("\"" + src + "\" is not a directory") + "; exit 0; }\n"
                + TOOL
                + "[ -n \"$dc\" ] || { printf '@@problem\\t%s\\n' 'neither the docker compose plugin nor docker-compose is installed'; exit 0; }\n"
                + "printf '@@tool\\t%s\\n' \"$dc\"\n"
                + "for f in compose.yaml compose.yml docker-compose.yml docker-compose.yaml; do [ -f \"$f\" ] && { printf '@@file\\t%s\\n' \"$PWD/$f\"; break; }; done\n"
                + "if out=$(" + base(files, project) + " config --hash='*' 2>&1); then printf '%s\\n' \"$out\" | sed 's/^/@@hash /';"
                + " else printf '@@problem\\t%s\\n' \"$(printf '%s' \"$out\" | tr '\\n' ' ')\"; exit 0; fi\n"
                + "echo @@containers\n"
                + "ids=$(docker ps -aq --no-trunc --filter " + Sh.q("label=" + Container.PROJECT + "=" + project) + ")\n"
                + "[ -z \"$ids\" ] || docker inspect $ids\n";
    }

    @Override
    public Project parse(FactOutput out) throws TaskException {
        return parse(out.text());
    }

    public static Project parse(String text) throws TaskException {
        String tool = null;
        String problem = null;
        String file = null;
        Map<String, String> hashes = new LinkedHashMap<>();
        int cut = text.indexOf("@@containers\n");
        String head = cut < 0 ? text : text.substring(0, cut);
        for (String line : head.split("\n")) {
            if (line.startsWith("@@tool\t")) tool = line.substring(7);
            else if (line.startsWith("@@file\t")) file = line.substring(7);
            else if (line.startsWith("@@problem\t")) problem = line.substring(10).strip();
            else if (line.startsWith("@@hash ")) {
                String[] f = line.substring(7).strip().split("\\s+");
                if (f.length == 2) hashes.put(f[0], f[1]);
            }
        }
        List<Container> containers = cut < 0 ? List.of() : ContainersFact.parse(text.substring(cut + "@@containers\n".length()));
        return new Project(tool, hashes, new ArrayList<>(containers), problem, file);
    }
}
