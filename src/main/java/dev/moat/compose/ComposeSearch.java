package dev.moat.compose;

import java.util.List;

import dev.moat.transport.Sh;

/**
 * Where moat looks for compose files on a host, for {@code compose_ports} and for
 * {@code moat scan --inside} alike: under each of {@code dirs}, down to {@code depth} levels
 * ({@code .git} and {@code node_modules} skipped), every file whose name matches {@link #PATTERNS}
 * (Compose's default names, their overrides, and variants such as {@code compose.gpu.yml} or
 * {@code docker-compose.prod.yaml}); and, wherever they live and whatever their name, the files the
 * host's containers say they were created from (their {@code com.docker.compose.project.config_files}
 * label, see {@link #LABELLED}).
 *
 * <pre>
 * compose_search: [/opt, /srv, /home, /root]   # the default, 4 levels down
 * </pre>
 */
public record ComposeSearch(List<String> dirs, int depth) {
    /** Searched when nothing else is said. */
    public static final List<String> DEFAULT_DIRS = List.of("/opt", "/srv", "/home", "/root");
    /** Deep enough for {@code /home/USER/projects/APP/compose.yml}. */
    public static final int DEFAULT_DEPTH = 4;
    /** The file names searched for ({@code find -name} globs). */
    public static final List<String> PATTERNS = List.of("compose*.yaml", "compose*.yml", "docker-compose*.yaml", "docker-compose*.yml");

    /**
     * Shell function printing, one per line, the compose files named by containers' labels.
     * Compose v2 records absolute paths; v1 records them as given, relative to where it ran, and
     * the first file's directory as the working directory, so a relative one is tried where
     * {@link Container#configFiles()} works it out, then against the working directory, then by its
     * base name in the working directory. Files that are not there are skipped; with no
     * {@code docker} nothing is printed. Each inspect line is {@code working_dir<TAB>config_files}.
     */
    static final String LABELLED = DockerFiles.functions("") + "moat_labelled() {\n"
            + "  command -v docker >/dev/null 2>&1 || return 0\n"
            + "  tab=$(printf '\\t')\n"
            // dockerd's files when they answer (DockerFiles), else the CLI.
            + "  if ! moat_dockerd || ! ls=$(moat_docker_labels) || case \"$ls\" in *@@escaped*) true;; *) false;; esac; then\n"
            + "    ! moat_nodocker || return 0\n"
            + "    ids=$(docker ps -aq --no-trunc 2>/dev/null) || return 0\n"
            + "    [ -n \"$ids\" ] || return 0\n"
            + "    ls=$(docker inspect --format '{{with .Config.Labels}}{{index . \"" + Container.WORKING_DIR + "\"}}\t{{index . \""
            + Container.CONFIG_FILES + "\"}}{{end}}' $ids 2>/dev/null)\n"
            + "  fi\n"
            + "  printf '%s\\n' \"$ls\" | while IFS= read -r l; do\n"
            + "    case \"$l\" in *\"$tab\"*) ;; *) continue;; esac\n"
            + "    wd=${l%%\"$tab\"*}; cf=${l#*\"$tab\"}\n"
            + "    case \"$wd\" in /*) ;; *) wd=;; esac\n"
            + "    first=${cf%%,*}; cwd=$wd\n"
            // v1 records the first file's directory as working_dir: strip that directory to get where it ran.
            + "    case \"$first\" in /*) ;; */*) d=${first%/*}; case \"$d\" in .|*..*) ;; *) case \"$wd\" in */\"$d\") cwd=${wd%/\"$d\"};; esac;; esac;; esac\n"
            + "    ( IFS=,; set -f; for t in $cf; do\n"
            + "      case \"$t\" in /*) printf '%s\\n' \"$t\"; continue;; '') continue;; esac\n"
            + "      [ -n \"$wd\" ] || continue\n"
            + "      t=${t#./}\n"
            + "      for c in \"$cwd/$t\" \"$wd/$t\" \"$wd/${t##*/}\"; do [ -f \"$c\" ] && { printf '%s\\n' \"$c\"; break; }; done\n"
            + "    done )\n"
            + "  done\n"
            + "}\n";

    public ComposeSearch {
        dirs = List.copyOf(dirs);
        if (depth < 1) throw new IllegalArgumentException("depth must be at least 1");
    }

    /** The default directories, {@link #DEFAULT_DEPTH} levels down. */
    public static ComposeSearch defaults() {
        return new ComposeSearch(DEFAULT_DIRS, DEFAULT_DEPTH);
    }

    /**
     * Shell that prints every compose file found, one path per line, each once, sorted: the files
     * under {@link #dirs()} and those the containers' labels name. It defines {@code moat_labelled}.
     * Inside a batched read ({@code $moat_memo} set by {@code FactBatch}) the list is kept there, so a
     * second fact searching the same way (compose_ports, then the exposure audit) reads the first's.
     */
    public String script() {
        // One find for every directory there (find walks its starting points in order: the same lines as one find each).
        StringBuilder s = new StringBuilder("{ set --; for d in");
        for (String d : dirs) s.append(' ').append(Sh.q(d));
        s.append("; do [ -d \"$d\" ] && set -- \"$@\" \"$d\"; done; [ $# = 0 ] || find \"$@\" -maxdepth ").append(depth)
         .append(" \\( -name .git -o -name node_modules \\) -prune -o -type f \\(");
        for (int i = 0; i < PATTERNS.size(); i++) s.append(i == 0 ? "" : " -o").append(" -name ").append(Sh.q(PATTERNS.get(i)));
        s.append(" \\) -print 2>/dev/null; moat_labelled; } | sort -u");
        String found = s.toString();
        // compose_ports and the exposure audit search alike in one read: the second takes the first's list.
        String memo = "\"$moat_memo/found-" + Integer.toHexString(found.hashCode()) + "-" + found.length() + "\"";
        return LABELLED + "if [ -n \"${moat_memo:-}\" ] && [ -z \"${R:-}\" ] && [ -d \"$moat_memo\" ]; then [ -f " + memo + " ] || "
                + found.replace(" | sort -u", " | sort -u >" + memo) + "; while IFS= read -r f || [ -n \"$f\" ]; do printf '%s\\n' \"$f\"; done <" + memo
                + "; else " + found + "; fi";
    }
}
