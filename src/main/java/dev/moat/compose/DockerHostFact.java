package dev.moat.compose;

import java.util.HashMap;
import java.util.Map;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;

/**
 * What recreating a container outside Compose needs to know besides its inspect: whether curl is
 * there (the Engine API is reached with it), the API version the docker CLI negotiated, and for
 * each container not made by Compose that asks for published ports, how much it wrote into its
 * own writable layer ({@code SizeRw}: lost when it is recreated) and which image its
 * {@code Config.Image} names now (a later pull may have moved the tag).
 */
public record DockerHostFact(String root) implements Fact<DockerHostFact.DockerHost> {
    /** On the host: paths as they are ({@code root} prefixes them in tests). */
    public DockerHostFact() {
        this("");
    }

    /** One container's extras: bytes in its writable layer (-1 unknown), the image ID its image name resolves to now (empty: none). */
    public record Extra(long writable, String imageNow) {}

    public record DockerHost(boolean docker, boolean curl, String api, Map<String, Extra> extras) {
        public DockerHost {
            extras = Map.copyOf(extras);
        }

        public Extra extra(String id) {
            return extras.getOrDefault(id, new Extra(-1, ""));
        }
    }

    @Override
    public String key() {
        return "docker:host";
    }

    @Override
    public String script() {
        return "command -v docker >/dev/null 2>&1 || { echo 'docker no'; exit 0; }\n"
                + "echo 'docker yes'\n"
                + "if command -v curl >/dev/null 2>&1; then echo 'curl yes'; else echo 'curl no'; fi\n"
                // A missing label prints "<no value>" with a bare index, so each is read through "with".
                // One inspect for every container (a docker CLI call costs ~0.1 s on a busy host); the
                // API version, sizes and images only for the containers this fact is about.
                + DockerFiles.functions(root)
                // dockerd's files (DockerFiles) tell whether any container is a candidate: port bindings
                // and not both Compose labels; with none the CLI is not asked at all.
                + "if moat_dockerd; then\n"
                + "  cand=\n"
                + "  for c in \"$R$dr\"/containers/*/; do\n"
                + "    h=; IFS= read -r h 2>/dev/null <\"${c}hostconfig.json\"\n"
                + "    case $h in *'\"PortBindings\":{}'*|*'\"PortBindings\":null'*) continue;; *'\"PortBindings\":'*) ;; *) continue;; esac\n"
                + "    l=; IFS= read -r l 2>/dev/null <\"${c}config.v2.json\"\n"
                + "    case $l in *'\"" + Container.PROJECT + "\":\"'[!'\"']*'\"" + Container.SERVICE + "\":\"'[!'\"']*) continue;; esac\n"
                + "    cand=1; break\n"
                + "  done\n"
                + "  [ -n \"$cand\" ] || exit 0\n"
                + "fi\n"
                // No daemon the CLI could reach: its ps would print nothing (DockerFiles.NO_DAEMON).
                + "! moat_nodocker || exit 0\n"
                + "tab=$(printf '\\t')\n"
                + "ids=$(docker ps -aq --no-trunc 2>/dev/null)\n"
                + "[ -n \"$ids\" ] || exit 0\n"
                + "cands=$(docker container inspect --format '{{.Id}}\t{{.Config.Image}}\t{{len .HostConfig.PortBindings}}"
                + "\t{{with .Config.Labels}}{{with index . \"" + Container.PROJECT + "\"}}{{.}}{{end}}|{{with index . \"" + Container.SERVICE + "\"}}{{.}}{{end}}{{end}}' $ids 2>/dev/null"
                + " | while IFS=\"$tab\" read -r id ref n labels; do\n"
                + "  [ \"$n\" != 0 ] || continue\n"
                + "  case \"$labels\" in ?*\\|?*) continue;; esac\n"
                + "  printf '%s\\t%s\\n' \"$id\" \"$ref\"\n"
                + "done)\n"
                + "[ -n \"$cands\" ] || exit 0\n"
                + "printf 'api %s\\n' \"$(docker version --format '{{.Client.APIVersion}}' 2>/dev/null)\"\n"
                + "printf '%s\\n' \"$cands\" | while IFS=\"$tab\" read -r id ref; do\n"
                + "  size=$(docker container inspect --size --format '{{.SizeRw}}' \"$id\" 2>/dev/null) || size=-1\n"
                + "  img=$(docker image inspect --format '{{.Id}}' \"$ref\" 2>/dev/null) || img=\n"
                + "  printf 'container\\t%s\\t%s\\t%s\\n' \"$id\" \"${size:--1}\" \"$img\"\n"
                + "done\n"
                + "exit 0\n";
    }

    @Override
    public DockerHost parse(FactOutput out) throws TaskException {
        return parse(out.text());
    }

    public static DockerHost parse(String text) {
        boolean docker = false;
        boolean curl = false;
        String api = "";
        Map<String, Extra> extras = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.equals("docker yes")) docker = true;
            else if (line.equals("curl yes")) curl = true;
            else if (line.startsWith("api ")) api = line.substring(4).trim();
            else if (line.startsWith("container\t")) {
                String[] f = line.split("\t", -1);
                if (f.length < 4) continue;
                long size;
                try {
                    size = Long.parseLong(f[2].trim());
                } catch (NumberFormatException e) {
                    size = -1;
                }
                extras.put(f[1], new Extra(size, f[3].trim()));
            }
        }
        return new DockerHost(docker, curl, api, extras);
    }
}
