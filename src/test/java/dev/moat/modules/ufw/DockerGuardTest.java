package dev.moat.modules.ufw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class DockerGuardTest {
    /** Debian's stock /etc/ufw/after.rules (ufw 0.36), read from this machine's package copy when present. */
    static String stock() throws IOException {
        Path p = Path.of("/usr/share/ufw/after.rules");
        return Files.exists(p) ? Files.readString(p) : "*filter\n:ufw-after-input - [0:0]\nCOMMIT\n";
    }

    @Test
    void addingIsAppendedOnceAndRemovingGivesTheFileBackByteForByte() throws IOException {
        String before = stock();
        String with = DockerGuard.apply(before, true, false);
        assertTrue(with.startsWith(before), "UFW's own rules stay first and untouched");
        assertTrue(with.endsWith(DockerGuard.block(false)));
        assertEquals(with, DockerGuard.apply(with, true, false), "present twice is one block");
        assertEquals(before, DockerGuard.apply(with, false, false));
        assertEquals(before, DockerGuard.apply(before, false, false));
    }

    @Test
    void anOutdatedBlockIsReplacedInPlace() {
        String old = "*filter\nCOMMIT\n\n" + DockerGuard.BEGIN + "\n-A DOCKER-USER -j RETURN\n" + DockerGuard.END + "\n# after\n";
        String now = DockerGuard.apply(old, true, true);
        assertEquals("*filter\nCOMMIT\n\n" + DockerGuard.block(true) + "# after\n", now);
        assertTrue(DockerGuard.current(now, true));
    }

    @Test
    void theBlocksNameEachFamilysOwnChainsAndDropOnlyNewConnectionsToBridges() {
        assertTrue(DockerGuard.block(false).contains(":ufw-user-forward - [0:0]\n"));
        assertTrue(DockerGuard.block(true).contains("-A DOCKER-USER -j ufw6-user-forward\n"));
        String b = DockerGuard.block(false);
        assertTrue(b.indexOf("RELATED,ESTABLISHED -j RETURN") < b.indexOf("-j ufw-user-forward"));
        assertTrue(b.indexOf("-i docker0 -j RETURN") < b.indexOf("-j ufw-user-forward"));
        assertTrue(b.indexOf("-j ufw-user-forward") < b.indexOf("-o docker0 -m conntrack --ctstate NEW -j DROP"));
        assertTrue(b.contains("-o br-+ -m conntrack --ctstate NEW -j DROP\n-A DOCKER-USER -j RETURN\nCOMMIT\n"));
        assertTrue(!b.contains("10.0.0.0") && !b.contains("192.168"), "private ranges are not exempt");
    }

    @Test
    void aBeginWithoutItsEndIsNotGuessedAt() {
        assertThrows(IllegalArgumentException.class, () -> DockerGuard.apply("x\n" + DockerGuard.BEGIN + "\n", true, false));
    }
}
