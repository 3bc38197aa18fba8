package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The foundation's acceptance on real hosts: apply converges every host, a rerun changes nothing,
 * check reports no drift, a hand edit on one host is found there only (with its diff) and left
 * alone; --check changes nothing at all.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApplyE2E {
    static Testbed tb;
    static Path home;
    static Path playbook;
    static Map<String, String> env;

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        home = Files.createTempDirectory("moat-home");
        playbook = MoatCli.root().resolve("tests/fixtures/playbooks/core.yml");
        env = Map.of("MOAT_HOME", home.toString());
    }

    @AfterAll
    static void tearDown() {
        // Undo what the suite applied with moat itself, newest run first, until nothing is left.
        int rolledBack = 0;
        for (int i = 0; i < 10; i++) {
            ProcResult r = moat("rollback", "last", "-i", tb.inventory().toString(), "--force");
            if (r.exitCode() == 64 && r.stderr().contains("no earlier run left anything")) break;
            assertEquals(0, r.exitCode(), r.describe());
            rolledBack++;
        }
        // The first apply and the drift repair; not the rerun: its shell task runs every time, but a
        // command alone (journaled as irreversible) leaves nothing to roll back.
        assertEquals(2, rolledBack);
        for (TestHost h : tb.hosts()) {
            assertNotEquals(0, tb.exec(h.name(), "test -e /opt/moat-e2e").exitCode(), "rollback removed what the runs created");
        }
        for (TestHost h : tb.hosts()) tb.exec(h.name(), "rm -rf /opt/moat-e2e");
    }

    static ProcResult moat(String... args) {
        return MoatCli.run(null, env, Duration.ofMinutes(5), args);
    }

    static String[] withInventory(String command, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of(command, playbook.toString(), "-i", tb.inventory().toString()));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    @Test
    @Order(1)
    void checkBeforeApplyChangesNothingAtAll() {
        Listing before = tb.checksumListing("h1", "/etc", "/opt", "/root");
        ProcResult r = moat(withInventory("apply", "--check"));
        assertEquals(2, r.exitCode(), r.describe());
        Listing after = tb.checksumListing("h1", "/etc", "/opt", "/root");
        assertEquals(List.of(), before.differences(after), "apply --check changed the host");
    }

    @Test
    @Order(2)
    void applyConvergesEveryHost() {
        ProcResult r = moat(withInventory("apply"));
        assertEquals(0, r.exitCode(), r.describe());
        for (TestHost h : tb.hosts()) {
            assertTrue(r.stdout().matches("(?s).*\\n" + h.name() + " +: ok=\\d+ +changed=[1-9].*"), r.stdout());
            assertEquals("port=8000\nhost=" + h.name() + "\n", tb.execOk(h.name(), "cat /opt/moat-e2e/app.conf"));
            assertEquals("workers=4\n", tb.execOk(h.name(), "cat /opt/moat-e2e/extra.conf"));
            assertEquals("644", tb.execOk(h.name(), "stat -c %a /opt/moat-e2e/app.conf").strip());
            assertTrue(tb.execOk(h.name(), "cat /etc/motd").startsWith(h.name() + " is managed by moat."));
            assertEquals(0, tb.exec(h.name(), "test -e /opt/moat-e2e/handler-ran").exitCode(), "handler ran");
            assertEquals(0, tb.exec(h.name(), "test -e /opt/moat-e2e/created").exitCode());
        }
        assertTrue(r.stdout().contains("the answer on h1 is 42"), r.stdout());
    }

    @Test
    @Order(3)
    void aRerunChangesNothing() {
        ProcResult r = moat(withInventory("apply"));
        assertEquals(0, r.exitCode(), r.describe());
        for (TestHost h : tb.hosts()) {
            assertTrue(r.stdout().matches("(?s).*\\n" + h.name() + " +: ok=\\d+ +changed=0 .*"), r.stdout());
        }
    }

    @Test
    @Order(4)
    void checkFindsNoDrift() {
        ProcResult r = moat(withInventory("check"));
        assertEquals(0, r.exitCode(), r.describe());
    }

    @Test
    @Order(5)
    void aHandEditIsDriftOnThatHostAndFileOnly() {
        tb.execOk("h2", "echo 'debug=true' >> /opt/moat-e2e/app.conf");
        ProcResult r = moat(withInventory("check", "--json"));
        assertEquals(2, r.exitCode(), r.describe());
        List<String> changed = r.stdout().lines().filter(l -> l.contains("\"status\":\"changed\"")).toList();
        assertEquals(1, changed.size(), r.stdout());
        assertTrue(changed.get(0).contains("\"host\":\"h2\""), changed.get(0));
        assertTrue(changed.get(0).contains("\"task\":\"config file\""), changed.get(0));
        assertTrue(changed.get(0).contains("debug=true"), "the diff shows the edit: " + changed.get(0));
        assertEquals("port=8000\nhost=h2\ndebug=true\n", tb.execOk("h2", "cat /opt/moat-e2e/app.conf"), "check left the file alone");

        ProcResult human = moat(withInventory("check"));
        assertEquals(2, human.exitCode());
        assertTrue(human.stdout().contains("-debug=true"), "a unified diff: " + human.stdout());
    }

    @Test
    @Order(6)
    void applyRepairsTheDrift() {
        ProcResult r = moat(withInventory("apply"));
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("port=8000\nhost=h2\n", tb.execOk("h2", "cat /opt/moat-e2e/app.conf"));
        assertEquals(0, moat(withInventory("check")).exitCode());
    }
}
