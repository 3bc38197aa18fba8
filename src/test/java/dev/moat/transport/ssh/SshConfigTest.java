package dev.moat.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.moat.transport.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ssh_config parsing and how it fills an Endpoint's gaps. */
class SshConfigTest {
    @TempDir
    Path tmp;

    static final String CONFIG = String.join("\n",
            "# global comment",
            "User fallback-ignored-by-first-wins-below",
            "Host gpu-* !gpu-test",
            "    HostName %h.gpu.example",
            "    User ops",
            "    IdentityFile ~/.ssh/gpu_key",
            "    ProxyJump jump@bastion.example:2222",
            "Host gpu-test",
            "    Port=2200",
            "Host \"quoted name\" db",
            "    Port 5522 # trailing comment",
            "Match host db",
            "    User never",
            "Host *",
            "    User everyone",
            "    IdentityFile %d/.ssh/id_%r",
            "");

    @Test
    void firstValueWinsAndPatternsNegate() {
        SshConfig c = SshConfig.parse(CONFIG);
        SshConfig.Resolved r = c.resolve("gpu-01");
        assertEquals("gpu-01.gpu.example", r.hostName());
        // the User before any Host applies to every host and is found first
        assertEquals("fallback-ignored-by-first-wins-below", r.user());
        assertEquals(List.of("~/.ssh/gpu_key", "%d/.ssh/id_%r"), r.identityFiles());
        assertEquals("jump@bastion.example:2222", r.proxyJump());

        SshConfig.Resolved t = c.resolve("gpu-test");
        assertNull(t.hostName());
        assertEquals(2200, t.port());
        assertNull(t.proxyJump());

        assertEquals(5522, c.resolve("db").port());
        assertEquals(5522, c.resolve("quoted name").port());
        assertEquals(0, c.resolve("other").port());
    }

    @Test
    void wordsSplitLikeOpenSsh() {
        assertEquals(List.of("Port", "22"), SshConfig.words("  Port=22"));
        assertEquals(List.of("Port", "22"), SshConfig.words("Port = 22"));
        assertEquals(List.of("Host", "a b", "c"), SshConfig.words("Host \"a b\" c # x"));
        assertEquals(List.of(), SshConfig.words("   # only a comment"));
    }

    @Test
    void endpointSaysFirstConfigFillsTheRest() {
        SshConfig c = SshConfig.parse("Host gpu-*\n HostName 10.1.1.1\n Port 2222\n User ops\n IdentityFile /k/gpu\n"
                + " ProxyJump b1,admin@b2:2022\nHost b1\n HostName 10.0.0.1\n User bastion\n");
        Target t = Target.resolve(new Endpoint("gpu-01", null, 0, null, null, null, null), c, true);
        assertEquals("10.1.1.1", t.address());
        assertEquals(2222, t.port());
        assertEquals("ops", t.user());
        assertEquals(List.of(Path.of("/k/gpu")), t.keyFiles());
        assertEquals(2, t.jump().size());
        assertEquals("10.0.0.1", t.jump().get(0).address());
        assertEquals("bastion", t.jump().get(0).user());
        assertEquals("b2", t.jump().get(1).address());
        assertEquals(2022, t.jump().get(1).port());
        assertEquals("admin", t.jump().get(1).user());

        Endpoint said = new Endpoint("gpu-01", "gpu-01", 2200, "root", "/k/mine", null,
                List.of(Endpoint.of("j", "j.example", 22, "me")));
        Target s = Target.resolve(said, c, true);
        assertEquals(2200, s.port());
        assertEquals("root", s.user());
        assertEquals(List.of(Path.of("/k/mine"), Path.of("/k/gpu")), s.keyFiles());
        assertEquals("j.example", s.jump().get(0).address());
        assertEquals("10.1.1.1", s.address());
    }

    @Test
    void proxyJumpNoneAndNoConfig() {
        SshConfig c = SshConfig.parse("Host *\n ProxyJump none\n");
        assertEquals(List.of(), Target.resolve(Endpoint.of("h", "h", 22, "u"), c, true).jump());
        Target t = Target.resolve(Endpoint.of("h", null, 0, null), SshConfig.EMPTY, true);
        assertEquals("h", t.address());
        assertEquals(22, t.port());
        assertEquals(System.getProperty("user.name"), t.user());
    }

    @Test
    void includeAndMissingFile() throws Exception {
        Files.createDirectories(tmp.resolve("conf.d"));
        Files.writeString(tmp.resolve("conf.d/10-gpu.conf"), "Host gpu\n  Port 2022\n");
        Files.writeString(tmp.resolve("config"), "Include conf.d/*.conf\nHost *\n  Port 22\n");
        SshConfig c = SshConfig.load(tmp.resolve("config"));
        assertEquals(2022, c.resolve("gpu").port());
        assertEquals(22, c.resolve("other").port());
        assertEquals(0, SshConfig.load(tmp.resolve("absent")).resolve("gpu").port());
    }

    @Test
    void pathTokensExpand() {
        String home = System.getProperty("user.home");
        assertEquals(home + "/.ssh/id_ops@h", SshConfig.expandPath("~/.ssh/id_%r@%h", "h", "ops"));
        assertEquals(home + "/k%", SshConfig.expandPath("%d/k%%", "h", "ops"));
    }
}
