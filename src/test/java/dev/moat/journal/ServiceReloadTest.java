package dev.moat.journal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A reload in the journal is a service name; the command is built at restore time, so a run record
 * read back can never make a rollback run shell text of its own.
 */
class ServiceReloadTest {
    @Test
    void theCommandIsBuiltFromTheName() throws Exception {
        Journal j = new Journal("/j");
        String nginx = j.restore("r1", 2, new Undo.Reload("nginx"));
        assertTrue(nginx.contains("if systemctl is-active --quiet nginx; then nginx -t && systemctl reload nginx; fi"),
                "nginx: tested and reloaded only if it runs: " + nginx);
        assertTrue(j.restore("r1", 3, new Undo.Reload("sshd")).contains(ServiceReload.SSHD));
        String redis = ServiceReload.script("redis-server@main.service");
        assertTrue(redis.contains("systemctl is-active --quiet redis-server@main.service; then systemctl reload"), redis);
        for (String s : List.of(nginx, redis, ServiceReload.SSHD)) {
            Process p = new ProcessBuilder("sh", "-n", "-c", s).redirectErrorStream(true).start();
            assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
        }
    }

    @Test
    void aNameThatIsNotAServiceIsRefused() {
        for (String bad : List.of("nginx; rm -rf /", "$(reboot)", "", "a b")) {
            assertThrows(IllegalArgumentException.class, () -> new Undo.Reload(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> ServiceReload.script(bad), bad);
        }
    }
}
