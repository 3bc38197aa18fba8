package dev.moat.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.module.FactOutput;
import dev.moat.modules.LocalHost;
import dev.moat.scan.AuditScript;

/**
 * {@code moat_nodocker} ({@link DockerFiles#NO_DAEMON}): the facts answer what a failing
 * {@code docker ps} made them answer, without running the CLI, only when the CLI could only fail to
 * connect; and {@code moat_dockerd}'s memo. Each fact's script is compared with itself with the
 * shortcut taken out ({@code moat_nodocker} always failing: the script as it was), on real files and
 * sockets, and against the real docker CLI where the machine has one.
 */
class DockerNoDaemonTest {
    @TempDir
    Path root;

    /** The script as it was before the shortcut: moat_nodocker never answers. */
    private static String old(String script) {
        assertTrue(script.contains("moat_nodocker() {\n"), script);
        return script.replace("moat_nodocker() {\n", "moat_nodocker() { return 1; }\nmoat_nodocker_unused() {\n");
    }

    /** {@code home} as the script sees it: under the root prefix where one is given. */
    private static String env(Path bin, Object home) {
        return "PATH=" + bin + ":/usr/bin:/bin; HOME=" + home + "; unset DOCKER_HOST DOCKER_CONTEXT DOCKER_CONFIG moat_memo\n";
    }

    private static FactOutput sh(String script) {
        FactOutput out = LocalHost.sh(script, null);
        assertEquals(0, out.rc(), out.errText());
        return out;
    }

    /** bin/docker: a copy of {@code program} (an ELF file, as the docker CLI is). */
    private Path docker(String program) throws IOException {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of(program), bin.resolve("docker"), StandardCopyOption.REPLACE_EXISTING);
        return bin;
    }

    /**
     * A docker CLI stand-in that is an ELF program: a copy of env, which runs its first argument
     * (docker ps: bin/ps) found in bin, whose scripts leave {@code ran} and answer as a daemon with
     * one container would.
     */
    private Path fake() throws IOException {
        Path bin = docker("/usr/bin/env");
        for (String cmd : List.of("ps", "inspect", "container", "version", "image")) {
            Files.writeString(bin.resolve(cmd), "#!/bin/sh\necho \"$0 $*\" >>" + root.resolve("ran") + "\n"
                    + "case $0 in */ps) echo id1;; */inspect) echo '[{\"Id\":\"id1\",\"Name\":\"/x\"}]';; esac\n");
            Files.setPosixFilePermissions(bin.resolve(cmd), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }

    private boolean ran() throws IOException {
        return Files.deleteIfExists(root.resolve("ran"));
    }

    private String decide(String prefix) {
        return sh(prefix + DockerFiles.functions(root.toString()) + "if moat_nodocker; then echo \"no $ndm\"; else echo ask; fi\n").text();
    }

    private ServerSocketChannel socket(Path at) throws IOException {
        Files.createDirectories(at.getParent());
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(at));
        return s;
    }

    @Test
    void theCliIsSkippedOnlyWhenItCanOnlyFailToConnect() throws IOException {
        Path bin = docker("/bin/true");
        Path home = Files.createDirectories(root.resolve("home"));
        String env = env(bin, "/home");
        assertEquals("no 1\n", decide(env), "nothing at /var/run/docker.sock, no config: the CLI's message is known");
        Path sock = root.resolve("var/run/docker.sock");
        try (ServerSocketChannel s = socket(sock)) {
            assertEquals("ask\n", decide(env), "a socket (systemd's docker.socket before dockerd starts) goes to the CLI");
        }
        Files.deleteIfExists(sock);
        Files.writeString(sock, "");
        assertEquals("no \n", decide(env), "a file that is no socket: connect fails, with another errno");
        Files.delete(sock);
        Files.createSymbolicLink(sock, root.resolve("var/run/gone.sock"));
        assertEquals("no \n", decide(env), "a dangling link");
        Files.delete(sock);
        assertEquals("ask\n", decide(env + "DOCKER_HOST=unix:///run/user/1000/docker.sock; export DOCKER_HOST\n"));
        assertEquals("ask\n", decide(env + "DOCKER_CONTEXT=rootless; export DOCKER_CONTEXT\n"));
        assertEquals("ask\n", decide(env + "unset HOME\n"), "no HOME: the CLI looks the user's home up");
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), "{\n\t\"auths\": {},\n\t\"currentContext\": \"rootless\"\n}");
        assertEquals("ask\n", decide(env));
        Files.writeString(home.resolve(".docker/config.json"), "{\"auths\": {}}");
        assertEquals("no \n", decide(env), "a config without a context: the endpoint is the default, the message maybe not");
        Path other = Files.createDirectories(root.resolve("cfg"));
        Files.writeString(other.resolve("config.json"), "{\"currentContext\":\"remote\"}");
        assertEquals("ask\n", decide(env + "DOCKER_CONFIG=/cfg; export DOCKER_CONFIG\n"));
        Files.delete(other.resolve("config.json"));
        assertEquals("no 1\n", decide(env + "DOCKER_CONFIG=/cfg; export DOCKER_CONFIG\n"));
        Files.delete(home.resolve(".docker/config.json"));
        Files.createDirectories(home.resolve(".docker/config.json"));
        assertEquals("ask\n", decide(env), "a config the CLI cannot read as a file");
    }

    @Test
    void aWrapperOrALinkNamedDockerIsAsked() throws IOException {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path home = Files.createDirectories(root.resolve("home"));
        Files.writeString(bin.resolve("docker"), "#!/bin/sh\nexec podman \"$@\"\n");
        Files.setPosixFilePermissions(bin.resolve("docker"), PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals("ask\n", decide(env(bin, home)), "podman-docker's script");
        Files.delete(bin.resolve("docker"));
        Files.copy(Path.of("/bin/true"), bin.resolve("podman"));
        Files.createSymbolicLink(bin.resolve("docker"), bin.resolve("podman"));
        assertEquals("ask\n", decide(env(bin, home)), "docker linked to podman");
        Files.delete(bin.resolve("docker"));
        assertEquals("ask\n", decide(env(bin, home) + "PATH=" + bin + "\n"), "no docker at all");
    }

    @Test
    void theAnswerIsKeptInTheMemoPerDockerPath() throws IOException {
        Path bin = docker("/bin/true");
        Path home = Files.createDirectories(root.resolve("home"));
        Path memo = Files.createDirectories(root.resolve("memo"));
        String env = env(bin, "/home") + "moat_memo=" + memo + "\n";
        assertEquals("no 1\n", decide(env));
        assertEquals("0:1:" + bin.resolve("docker") + "\n", Files.readString(memo.resolve("nodocker")));
        try (ServerSocketChannel s = socket(root.resolve("var/run/docker.sock"))) {
            assertEquals("no 1\n", decide(env), "the batch's first answer stands");
            Path bin2 = Files.createDirectories(root.resolve("bin2"));
            Files.copy(Path.of("/bin/true"), bin2.resolve("docker"));
            assertEquals("ask\n", decide(env + "PATH=" + bin2 + ":$PATH\n"), "another docker (the audit's PATH) is decided anew");
            assertEquals("1:0:" + bin2.resolve("docker") + "\n", Files.readString(memo.resolve("nodocker")));
        }
    }

    /** A machine's docker CLI (an ELF), for the comparisons with what it really prints; none: those tests are skipped. */
    private static Path realDocker() {
        for (String p : List.of("/usr/local/bin/docker", "/usr/bin/docker")) {
            Path d = Path.of(p);
            if (Files.isRegularFile(d) && !Files.isSymbolicLink(d) && Files.isExecutable(d)) return d.getParent();
        }
        return null;
    }

    /** Every script that asks {@code docker ps}, as a read on a host runs it (root prefix empty); the audit's docker section with the PATH given. */
    private static List<String> scripts() {
        String audit = AuditScript.script(ComposeSearch.defaults());
        String docker = audit.substring(audit.indexOf("sec docker\n"), audit.indexOf("sec dnat\n"));
        return List.of(new ContainersFact("").script(), new DockerHostFact("").script(), ComposeSearch.LABELLED + "moat_labelled\n",
                "have() { command -v \"$1\" >/dev/null 2>&1; }\nsec() { echo \"@@section $1\"; }\nfirst() { printf '%s\\n' \"$1\" | head -n 1; }\n" + docker);
    }

    @Test
    void everyFactAnswersWhatTheRealCliMadeItAnswerWithoutRunningIt() throws IOException {
        Path real = realDocker();
        assumeTrue(real != null, "no docker CLI on this machine");
        assumeTrue(!Files.exists(Path.of("/var/run/docker.sock")) && !Files.exists(Path.of("/var/run/docker.pid")), "a docker daemon here");
        Path home = Files.createDirectories(root.resolve("home"));
        Path fake = fake();
        for (String config : Arrays.asList(null, "{\"auths\": {}}")) {
            if (config != null) {
                Files.createDirectories(home.resolve(".docker"));
                Files.writeString(home.resolve(".docker/config.json"), config);
            }
            for (String script : scripts()) {
                String cli = sh(env(real, home) + old(script)).text();
                assertEquals(cli, sh(env(real, home) + script).text(), script);
                boolean audit = script.contains("@@section");
                if (audit) assertEquals("@@section docker\n@@error " + DockerFiles.CANNOT_CONNECT + "\n", cli);
                if (audit && config != null) continue; // a config file: the audit asks the CLI for its message
                // The stand-in for docker: the old script runs it, the new one does not and says what the CLI made it say.
                sh(env(fake, home) + old(script));
                assertTrue(ran(), script);
                assertEquals(cli, sh(env(fake, home) + script).text(), script);
                assertFalse(ran(), script);
            }
        }
    }

    @Test
    void withoutADaemonEachFactSaysWhatItSaysWhenTheCliFails() throws IOException {
        assumeTrue(!Files.exists(Path.of("/var/run/docker.sock")) && !Files.exists(Path.of("/var/run/docker.pid")), "a docker daemon here");
        Path fake = fake();
        String env = env(fake, "/nonexistent");
        assertEquals("[]\n", sh(env + new ContainersFact("").script()).text());
        assertTrue(sh(env + new DockerHostFact("").script()).text().matches("docker yes\ncurl (yes|no)\n"));
        assertEquals("", sh(env + ComposeSearch.LABELLED + "moat_labelled\n").text());
        assertFalse(ran());
    }

    @Test
    void aSocketStillGoesToTheCli() throws IOException {
        Path fake = fake();
        try (ServerSocketChannel s = socket(root.resolve("var/run/docker.sock"))) {
            String script = env(fake, "/home") + new ContainersFact(root.toString()).script();
            String now = sh(script).text();
            assertTrue(ran());
            assertEquals(sh(old(script)).text(), now);
            assertTrue(now.startsWith("[{\"Id\":\"id1\""), now);
            String host = env(fake, "/home") + new DockerHostFact(root.toString()).script();
            assertEquals(sh(old(host)).text(), sh(host).text());
            assertTrue(ran());
        }
    }

    @Test
    void dockerdsAnswerIsReadOnceABatch() throws IOException {
        DockerFilesTest.copyTree(DockerFilesTest.RECORDED.resolve("root"), root);
        Path memo = Files.createDirectories(root.resolve("memo"));
        String ask = DockerFiles.functions(root.toString()) + "if moat_dockerd; then echo \"yes $dr\"; else echo \"no $dr\"; fi\n";
        String plain = "HOME=/root; unset DOCKER_HOST DOCKER_CONTEXT DOCKER_CONFIG moat_memo\n";
        String batch = plain + "moat_memo=" + memo + "\n";
        assertEquals("yes /var/lib/docker\n", sh(plain + ask).text());
        assertEquals("yes /var/lib/docker\n", sh(batch + ask).text());
        assertEquals("0:/var/lib/docker\n", Files.readString(memo.resolve("dockerd")));
        Files.writeString(root.resolve("proc/15/comm"), "bash\n");
        assertEquals("no \n", sh(plain + ask).text());
        assertEquals("yes /var/lib/docker\n", sh(batch + ask).text(), "the memo answers");
        Files.delete(memo.resolve("dockerd"));
        assertEquals("no \n", sh(batch + ask).text());
        assertEquals("1:\n", Files.readString(memo.resolve("dockerd")));
        // A data root from the flags, with the memo and without: the same answer.
        Files.writeString(root.resolve("proc/15/comm"), "dockerd\n");
        Files.writeString(root.resolve("proc/15/cmdline"), "dockerd\0-g\0/srv/dock er\0");
        Files.delete(memo.resolve("dockerd"));
        String noMemo = sh(plain + ask).text();
        assertEquals(noMemo, sh(batch + ask).text());
        assertEquals(noMemo, sh(batch + ask).text());
        Files.createDirectories(root.resolve("srv/docker/containers"));
        Files.writeString(root.resolve("proc/15/cmdline"), "dockerd\0--data-root=/srv/docker\0");
        Files.delete(memo.resolve("dockerd"));
        assertEquals("yes /srv/docker\n", sh(batch + ask).text());
        assertEquals("yes /srv/docker\n", sh(batch + ask).text());
        assertFalse(Files.readString(memo.resolve("dockerd")).isEmpty());
    }

    @Test
    void theLabelsAreReadOnceABatch() throws IOException {
        DockerFilesTest.copyTree(DockerFilesTest.RECORDED.resolve("root"), root);
        String ask = DockerFiles.functions(root.toString()) + "moat_dockerd || exit 3; l=$(moat_docker_labels); r=$?; printf '%s|%s\\n' \"$l\" \"$r\"\n";
        String plain = "HOME=/root; unset DOCKER_HOST DOCKER_CONTEXT DOCKER_CONFIG moat_memo\n";
        Path one = root.resolve("var/lib/docker/containers/544c5829803659aafebbac2a2a230c310d751553d16ad2795f1a3e2f1dde8274/config.v2.json");
        String label = Files.readString(one);
        for (String state : List.of("as recorded", "escaped", "unreadable", "none")) {
            if (state.equals("escaped")) Files.writeString(one, label.replace("\"/opt/ai\"", "\"/opt/a\\u0026i\""));
            if (state.equals("unreadable")) Files.setPosixFilePermissions(one, PosixFilePermissions.fromString("---------"));
            if (state.equals("none")) {
                try (Stream<Path> s = Files.list(root.resolve("var/lib/docker/containers"))) {
                    for (Path d : (Iterable<Path>) s::iterator) Files.deleteIfExists(d.resolve("config.v2.json"));
                }
            }
            Path memo = Files.createTempDirectory(root, "memo");
            String batch = plain + "moat_memo=" + memo + "\n";
            String want = sh(plain + ask).text();
            assertEquals(want, sh(batch + ask).text(), state);
            assertEquals(want, sh(batch + ask).text(), state + ", from the memo");
            if (state.equals("as recorded")) assertEquals("/opt/ai\tdocker-compose.yml\n".repeat(3).strip() + "|0\n", want);
            if (state.equals("escaped")) assertTrue(want.contains("@@escaped"), want);
        }
    }
}
