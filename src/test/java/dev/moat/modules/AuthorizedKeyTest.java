package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Plan;
import dev.moat.module.Risk;
import dev.moat.module.TaskException;
import dev.moat.modules.system.AuthorizedKeys;
import dev.moat.modules.system.KeysFileFact;

/** authorized_key's edits against Ansible's recorded ones (src/test/resources/ansible-authorized-key.json), and its plan. */
class AuthorizedKeyTest {
    final AuthorizedKey module = new AuthorizedKey();
    static final String K1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK1 alice@laptop";

    @Test
    void editsAsAnsibleDid() throws Exception {
        JsonNode cases = new ObjectMapper().readTree(Path.of("src/test/resources/ansible-authorized-key.json").toFile());
        int n = 0;
        for (var it = cases.fields(); it.hasNext(); n++) {
            var c = it.next();
            JsonNode a = c.getValue().path("args");
            AuthorizedKeys.Want want = new AuthorizedKeys.Want(a.path("key").asText(), a.hasNonNull("key_options") ? a.path("key_options").asText() : null,
                    a.hasNonNull("comment") ? a.path("comment").asText() : null, !"absent".equals(a.path("state").asText("present")),
                    a.path("exclusive").asBoolean(false));
            String after = AuthorizedKeys.edit(c.getValue().path("before").asText(), want);
            assertEquals(c.getValue().path("changed").asBoolean(), after != null, c.getKey() + ": changed");
            if (after != null) assertEquals(c.getValue().path("after").asText(), after, c.getKey());
        }
        assertEquals(10, n);
    }

    static String fact(String user, String dir, String file) {
        return user + "\n@@path /home/ops/.ssh/authorized_keys\n" + dir + "\n" + file;
    }

    static final String OPS = "@@user 1000 1000 /home/ops";

    private Plan plan(Map<String, Object> args, String fact, FakeContext ctx) throws Exception {
        AuthorizedKey.KeyArgs a = LocalHost.bind(module, args);
        return module.plan(a, new FakeFacts().put(new KeysFileFact(a.user(), a.path()).key(), fact), ctx);
    }

    @Test
    void writesTheUsersFileAndMakesItsDirectory() throws Exception {
        Plan p = plan(Map.of("user", "ops", "key", K1), fact(OPS, "absent", "absent\n"), FakeContext.apply().var("ansible_user", "admin"));
        assertEquals("mkdir -p -m 700 -- /home/ops/.ssh && chown 1000:1000 -- /home/ops/.ssh && chmod 700 -- /home/ops/.ssh", p.steps().get(0).script());
        assertEquals(K1 + "\n", new String(p.steps().get(1).stdin(), StandardCharsets.UTF_8));
        assertTrue(p.steps().get(1).script().contains("0600"), p.steps().get(1).script());
        assertEquals(List.of(new Undo.RestorePath("/home/ops/.ssh"), new Undo.RestorePath("/home/ops/.ssh/authorized_keys")), p.undo());
        assertFalse(p.risks().contains(Risk.SSH));
        String have = "file 600 1000 1000 " + (K1.length() + 1) + " ops ops\n" + K1 + "\n";
        assertFalse(plan(Map.of("user", "ops", "key", K1), fact(OPS, "directory 700 1000 1000 4096 ops ops", have), FakeContext.apply()).changes());
    }

    @Test
    void theConnectingUsersKeysAreGuarded() throws Exception {
        String have = "file 600 1000 1000 " + (K1.length() + 1) + " ops ops\n" + K1 + "\n";
        Plan p = plan(Map.of("user", "ops", "key", K1, "state", "absent"), fact(OPS, "directory 700 1000 1000 4096 ops ops", have),
                FakeContext.apply().var("ansible_user", "ops"));
        assertTrue(p.risks().contains(Risk.SSH), "removing the login user's key is guarded");
        assertEquals(List.of(new Undo.RestorePath("/home/ops/.ssh/authorized_keys")), p.undo());
        assertEquals("", new String(p.steps().get(0).stdin(), StandardCharsets.UTF_8));
    }

    @Test
    void refusesWhatItCannotDo() {
        assertEquals("key", assertThrows(ArgException.class, () -> LocalHost.bind(module, Map.of("user", "ops", "key", "https://github.com/ops.keys"))).arg());
        assertEquals("key", assertThrows(ArgException.class, () -> LocalHost.bind(module, Map.of("user", "ops", "key", "not a key"))).arg());
        assertEquals("user", assertThrows(ArgException.class, () -> LocalHost.bind(module, Map.of("user", "-x", "key", K1))).arg());
        TaskException e = assertThrows(TaskException.class, () -> plan(Map.of("user", "nobody2", "key", K1), "@@nouser\n@@path /nonexistent/.ssh/authorized_keys\nabsent\nabsent\n", FakeContext.apply()));
        assertTrue(e.getMessage().startsWith("Failed to lookup user nobody2"), e.getMessage());
    }

    @Test
    void theFactReadsAFileHere() throws Exception {
        Path dir = Files.createTempDirectory("ak");
        Path f = dir.resolve("keys");
        Files.writeString(f, K1 + "\n");
        KeysFileFact fact = new KeysFileFact("root", f.toString());
        KeysFileFact.KeysFile k = fact.parse(LocalHost.sh(fact.script(), null));
        assertTrue(k.userExists());
        assertEquals(0, k.uid());
        assertTrue(k.dir().isDirectory());
        assertEquals(K1 + "\n", k.file().text());
        KeysFileFact home = new KeysFileFact("root", null);
        assertEquals(System.getProperty("user.home").equals("/root") ? "/root/.ssh/authorized_keys" : home.parse(LocalHost.sh(home.script(), null)).path(),
                home.parse(LocalHost.sh(home.script(), null)).path());
        Files.delete(f);
        Files.delete(dir);
    }
}
