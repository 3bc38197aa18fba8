package dev.moat.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;
import dev.moat.modules.LocalHost;
import dev.moat.transport.Sh;

/**
 * The execs taken out of the compose search ({@code find} once for every directory, the memo read by
 * the shell instead of {@code cat}), of {@link ComposeToolFact} and {@link ContainersFact}
 * ({@code readlink -f} only where it would change the path; no {@code sed} or {@code sort} of the
 * working directories): each new script against the old one, kept here as it was, on real trees.
 */
class FewerExecsTest {
    @TempDir
    Path root;

    private static String sh(String script) {
        FactOutput out = LocalHost.sh("unset moat_memo DOCKER_HOST DOCKER_CONTEXT DOCKER_CONFIG; HOME=/root\n" + script, null);
        assertEquals(0, out.rc(), out.errText());
        return out.text();
    }

    private Path file(String rel) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "services: {}\n");
        return p;
    }

    /** ComposeSearch.script() as it was: one find per directory, the memo read back by cat. */
    private static String oldSearch(ComposeSearch cs) {
        StringBuilder s = new StringBuilder("{ for d in");
        for (String d : cs.dirs()) s.append(' ').append(Sh.q(d));
        s.append("; do [ -d \"$d\" ] && find \"$d\" -maxdepth ").append(cs.depth())
         .append(" \\( -name .git -o -name node_modules \\) -prune -o -type f \\(");
        for (int i = 0; i < ComposeSearch.PATTERNS.size(); i++) s.append(i == 0 ? "" : " -o").append(" -name ").append(Sh.q(ComposeSearch.PATTERNS.get(i)));
        s.append(" \\) -print 2>/dev/null; done; moat_labelled; } | sort -u");
        String found = s.toString();
        String memo = "\"$moat_memo/old-found\"";
        return ComposeSearch.LABELLED + "if [ -n \"${moat_memo:-}\" ] && [ -z \"${R:-}\" ] && [ -d \"$moat_memo\" ]; then [ -f " + memo + " ] || "
                + found.replace(" | sort -u", " | sort -u >" + memo) + "; cat " + memo + "; else " + found + "; fi";
    }

    @Test
    void oneFindForEveryDirectoryFindsWhatOneFindEachFound() throws IOException {
        file("opt/ai/compose.yml");
        file("opt/ai/docker-compose.override.yml");
        file("opt/a b/compose.gpu.yaml");
        file("opt/x/.git/compose.yml");
        file("opt/x/node_modules/compose.yml");
        file("opt/1/2/3/compose.yml");
        file("opt/1/2/3/4/compose.yml");
        file("srv/z/docker-compose.yaml");
        file("home/u/p/compose.yaml");
        file("home/u/p/notes.txt");
        file("root/app/compose.yml");
        Files.createSymbolicLink(root.resolve("linked"), root.resolve("srv"));
        Files.createSymbolicLink(root.resolve("home/u/p/compose.dev.yml"), root.resolve("root/app/compose.yml"));
        Files.createDirectories(root.resolve("empty"));
        List<String> dirs = new ArrayList<>();
        for (String d : List.of("opt", "missing", "srv", "linked", "home", "root", "opt/ai", "empty")) dirs.add(root.resolve(d).toString());
        for (List<String> ds : List.of(dirs, List.of(root.resolve("missing").toString()), List.of(root.resolve("empty").toString()))) {
            for (int depth : new int[] {1, 2, 4}) {
                ComposeSearch cs = new ComposeSearch(ds, depth);
                String path = "PATH=/usr/bin:/bin\n";
                String noDocker = "";
                String want = sh(path + noDocker + oldSearch(cs));
                assertEquals(want, sh(path + noDocker + cs.script()), ds + " " + depth);
                // In a batch: the list kept in the memo and read back, the first time and the second.
                Path memo = Files.createTempDirectory(root, "memo");
                String batch = path + noDocker + "moat_memo=" + memo + "\n";
                assertEquals(want, sh(batch + cs.script()));
                assertEquals(want, sh(batch + cs.script()));
                assertEquals(want, sh(batch + oldSearch(cs)));
                if (ds == dirs && depth == 4) assertEquals(7, want.lines().count(), want);
            }
        }
    }

    private static final String OLD_REAL = "real() { r=$(readlink -f -- \"$1\" 2>/dev/null) || r=$1; printf '%s' \"${r#\"$R\"}\"; }\n";

    @Test
    void realPathsWithoutReadlinkAreReadlinksOwn() throws IOException {
        file("usr/bin/docker-compose");
        Files.createDirectories(root.resolve("usr/libexec/docker/cli-plugins"));
        Files.createSymbolicLink(root.resolve("usr/libexec/docker/cli-plugins/docker-compose"), root.resolve("usr/bin/docker-compose"));
        Files.createSymbolicLink(root.resolve("bin"), root.resolve("usr/bin"));
        Files.createSymbolicLink(root.resolve("rel"), Path.of("usr/bin/docker-compose"));
        Files.createSymbolicLink(root.resolve("dangling"), root.resolve("gone"));
        file("a b/c\td/compose.yml");
        String r = root.toString();
        List<String> paths = List.of(r + "/usr/bin/docker-compose", r + "/usr/libexec/docker/cli-plugins/docker-compose", r + "/bin/docker-compose",
                r + "/rel", r + "/dangling", r + "/gone", r + "/gone/deeper", r + "//usr/bin/docker-compose", r + "/usr/./bin/docker-compose",
                r + "/usr/bin/../bin/docker-compose", r + "/usr/bin/", r + "/usr/bin", r + "/usr/bin/docker-compose/x", "usr/bin/docker-compose",
                r + "/a b/c\td/compose.yml", r + "/a b", "/", r + "/usr/bin/docker-compose\n", "");
        for (String prefix : List.of("", r)) {
            for (String p : paths) {
                String call = "R=" + Sh.q(prefix) + "\nprintf '<%s>' \"$(real " + Sh.q(p) + ")\"\n";
                String old = sh(OLD_REAL + call);
                String now = sh(DockerFiles.REAL + ComposeToolFactScript.real() + call);
                assertEquals(old, now, p);
            }
        }
    }

    /** ComposeToolFact's real() as the script defines it now. */
    private static final class ComposeToolFactScript {
        static String real() {
            String s = new ComposeToolFact("").script();
            int at = s.indexOf("\nreal() {") + 1;
            assertTrue(at > 0, s);
            return s.substring(at, s.indexOf("\n", at) + 1);
        }
    }

    private static final String NEW_REALPATHS_START = "  case \"$l\" in *@@escaped*) ;; *) printf '%s\\n' \"$l\" | { seen=;";
    private static final String OLD_REALPATHS = "  case \"$l\" in *@@escaped*) ;; *) printf '%s\\n' \"$l\" | sed 's/\t.*//' | sort -u |"
            + " while IFS= read -r d; do case \"$d\" in /*) r=$(readlink -f -- \"$R$d\" 2>/dev/null); printf '%s\\t%s\\n' \"$d\" \"${r#\"$R\"}\";; esac; done; exit 0;; esac\n";

    /** ContainersFact's script as it was: sed, sort -u and readlink -f for the working directories. */
    private static String oldContainers(String root) {
        String s = new ContainersFact(root).script();
        int a = s.indexOf(NEW_REALPATHS_START);
        int b = s.indexOf("exit 0;; esac\n", a) + "exit 0;; esac\n".length();
        assertTrue(a >= 0, s);
        return s.substring(0, a) + OLD_REALPATHS + s.substring(b);
    }

    @Test
    void workingDirectoriesRealPathsAreTheSame() throws IOException, TaskException {
        DockerFilesTest.copyTree(DockerFilesTest.RECORDED.resolve("root"), root);
        Path containers = root.resolve("var/lib/docker/containers");
        List<Path> compose = new ArrayList<>();
        try (Stream<Path> s = Files.list(containers)) {
            for (Path d : (Iterable<Path>) s.sorted()::iterator) {
                if (Files.readString(d.resolve("config.v2.json")).contains("\"com.docker.compose.project.working_dir\":\"/opt/ai\"")) compose.add(d);
            }
        }
        assertEquals(3, compose.size());
        String env = "PATH=/usr/bin:/bin; HOME=/root\n";
        String[][] cases = {
            {"/opt/ai", "/opt/ai", "/opt/ai"},               // there, no links; twice: once in the output
            {"/opt/ai", "/srv/link", "/srv/gone/x"},        // a link to it; a directory that is not there
            {"/opt/ai/", "/opt//ai", "/opt/./ai"},          // spellings readlink normalises
            {"/opt/ai", "/srv/gone", "relative/dir"},       // a relative one
        };
        Files.createDirectories(root.resolve("opt/ai"));
        Files.createDirectories(root.resolve("srv"));
        Files.createSymbolicLink(root.resolve("srv/link"), root.resolve("opt/ai"));
        for (String[] wds : cases) {
            for (int i = 0; i < 3; i++) {
                Path f = compose.get(i).resolve("config.v2.json");
                Files.writeString(f, Files.readString(f).replaceAll("\"com\\.docker\\.compose\\.project\\.working_dir\":\"[^\"]*\"",
                        "\"com.docker.compose.project.working_dir\":\"" + wds[i] + "\""));
            }
            String old = sh(env + oldContainers(root.toString()));
            String now = sh(env + new ContainersFact(root.toString()).script());
            assertEquals(ContainersFact.parse(old), ContainersFact.parse(now), String.join(" ", wds));
            assertEquals(realpaths(old), realpaths(now), String.join(" ", wds));
            if (wds == cases[1]) assertEquals(List.of("/opt/ai\t/opt/ai", "/srv/gone/x\t", "/srv/link\t/opt/ai"), realpaths(now));
        }
    }

    /** The realpaths section's lines as a sorted set: the new script lists each directory once, in label order. */
    private static List<String> realpaths(String out) {
        int at = out.indexOf("\n" + ContainersFact.REALPATHS + "\n");
        assertTrue(at >= 0, out);
        return out.substring(at + ContainersFact.REALPATHS.length() + 2).lines().distinct().sorted().toList();
    }
}
