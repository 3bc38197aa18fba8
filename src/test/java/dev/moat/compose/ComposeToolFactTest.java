package dev.moat.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.module.FactOutput;
import dev.moat.modules.LocalHost;

/**
 * The Compose detection reads files, not Compose: on files recorded from a testbed host (Debian 12,
 * docker.io 20.10, docker-compose 1.29.2-3) it gives what {@code docker-compose version --short}
 * answered there, without running it; where no package owns the file it runs the command, as before.
 */
class ComposeToolFactTest {
    static final Path RECORDED = Path.of("src/test/resources/hostread/h1");

    @TempDir
    Path root;

    /** The recorded files under {@code root}, and {@code docker}/{@code docker-compose} stand-ins that leave a mark when run. */
    private void host(boolean docker, boolean compose) throws IOException {
        DockerFilesTest.copyTree(RECORDED.resolve("root"), root);
        Files.createDirectories(root.resolve("usr/bin"));
        if (docker) stub("usr/bin/docker", "[ \"$1 $2\" = 'compose version' ] || exit 1; echo docker >>" + root.resolve("ran")
                + "; [ -x " + root.resolve("usr/libexec/docker/cli-plugins/docker-compose") + " ] || exit 1; echo 2.29.7");
        if (compose) stub("usr/bin/docker-compose", "echo docker-compose >>" + root.resolve("ran") + "; echo 9.9.9");
    }

    private void stub(String path, String body) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private ComposeTool read() throws IOException {
        // Only the tools the script needs besides the stand-ins: this machine may have docker-compose in /usr/bin.
        Path tools = root.resolve("tools");
        Files.createDirectories(tools);
        for (String t : new String[] {"awk", "readlink", "grep"}) {
            if (!Files.exists(tools.resolve(t))) Files.createSymbolicLink(tools.resolve(t), Path.of("/usr/bin", t));
        }
        String script = "PATH=" + root.resolve("usr/bin") + ":" + tools + "; HOME=/root; unset DOCKER_CONFIG\n"
                + new ComposeToolFact(root.toString()).script();
        FactOutput out = LocalHost.sh(script, null);
        assertEquals(0, out.rc(), out.errText());
        return ComposeToolFact.parse(out.text());
    }

    private boolean ran(String what) throws IOException {
        Path r = root.resolve("ran");
        return Files.exists(r) && Files.readString(r).lines().anyMatch(what::equals);
    }

    @Test
    void debiansDockerComposeIsReadFromDpkgAsItsVersionCommandAnswered() throws IOException {
        host(true, true);
        String recorded = Files.readString(RECORDED.resolve("cli/docker-compose-version-short.txt")).strip();
        ComposeTool t = read();
        assertEquals(new ComposeTool(false, null, true, recorded), t);
        assertEquals("1.29.2", recorded);
        assertFalse(ran("docker-compose"), "docker-compose ran");
        assertFalse(ran("docker"), "docker compose ran although no plugin file exists");
    }

    @Test
    void aDockerComposeNoPackageOwnsIsAsked() throws IOException {
        host(true, true);
        Files.delete(root.resolve("var/lib/dpkg/info/docker-compose.list"));
        assertEquals(new ComposeTool(false, null, true, "9.9.9"), read());
        assertTrue(ran("docker-compose"));
    }

    @Test
    void pendingDpkgUpdatesAreNotTrusted() throws IOException {
        host(true, true);
        Files.createDirectories(root.resolve("var/lib/dpkg/updates"));
        Files.writeString(root.resolve("var/lib/dpkg/updates/0001"), "Package: docker-compose\n");
        assertEquals("9.9.9", read().standaloneVersion());
    }

    @Test
    void aPluginFileNoPackageOwnsIsAskedThroughTheCli() throws IOException {
        host(true, false);
        stub("usr/libexec/docker/cli-plugins/docker-compose", "exit 0");
        assertEquals(new ComposeTool(true, "2.29.7", false, null), read());
        assertTrue(ran("docker"));
    }

    @Test
    void aPluginFromDockersPackageIsReadFromDpkg() throws IOException {
        host(true, false);
        stub("usr/libexec/docker/cli-plugins/docker-compose", "exit 0");
        Files.writeString(root.resolve("var/lib/dpkg/info/docker-compose-plugin.list"), "/.\n/usr\n/usr/libexec/docker/cli-plugins/docker-compose\n");
        Files.writeString(root.resolve("var/lib/dpkg/status"), Files.readString(root.resolve("var/lib/dpkg/status"))
                + "Package: docker-compose-plugin\nStatus: install ok installed\nVersion: 2.29.7-1~debian.12~bookworm\n\n");
        assertEquals(new ComposeTool(true, "2.29.7", false, null), read());
        assertFalse(ran("docker"));
    }

    @Test
    void noDockerCliMeansNoPlugin() throws IOException {
        host(false, false);
        stub("usr/libexec/docker/cli-plugins/docker-compose", "exit 0");
        assertEquals(new ComposeTool(false, null, false, null), read());
    }
}
