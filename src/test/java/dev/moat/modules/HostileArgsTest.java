package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.module.ArgException;

/** Arguments that would reach chown, systemctl or rm -rf as root are refused when the task is bound. */
class HostileArgsTest {
    @Test
    void aRemovalNeverTakesRootOrATopLevelSystemDirectory() {
        File file = new File();
        for (String p : new String[] {"/", "/.", "/x/..", "/etc", "/usr/", "/var/./", "/home/alice/../..", "/srv/../boot"}) {
            ArgException e = assertThrows(ArgException.class, () -> LocalHost.bind(file, Map.of("path", p, "state", "absent")), p);
            assertTrue(e.getMessage().contains("moat never removes / or a top-level system directory"), e.getMessage());
        }
        assertDoesNotThrow(() -> LocalHost.bind(file, Map.of("path", "/etc/moat-old.conf", "state", "absent")));
        assertDoesNotThrow(() -> LocalHost.bind(file, Map.of("path", "/etc", "state", "directory")), "only removal is refused");
        assertEquals("dest", assertThrows(ArgException.class,
                () -> LocalHost.bind(new Copy(), Map.of("dest", "etc/motd", "content", "x"))).arg(), "a relative dest is an error");
    }

    @Test
    void ownerGroupAndServiceNamesAreNamesNeverOptions() {
        for (String bad : new String[] {"-R", "--reference=/etc/shadow", "root;id", "a b", "$(id)"}) {
            assertEquals("owner", assertThrows(ArgException.class,
                    () -> LocalHost.bind(new Copy(), Map.of("dest", "/etc/motd", "content", "x", "owner", bad))).arg(), bad);
            assertEquals("group", assertThrows(ArgException.class,
                    () -> LocalHost.bind(new File(), Map.of("path", "/etc/motd", "group", bad))).arg(), bad);
            assertEquals("name", assertThrows(ArgException.class,
                    () -> LocalHost.bind(new Service(), Map.of("name", bad, "state", "started"))).arg(), bad);
        }
        assertDoesNotThrow(() -> LocalHost.bind(new Copy(), Map.of("dest", "/etc/motd", "content", "x", "owner", "www-data", "group", "1000")));
        assertDoesNotThrow(() -> LocalHost.bind(new Service(), Map.of("name", "getty@tty1.service", "state", "started")));
    }
}
