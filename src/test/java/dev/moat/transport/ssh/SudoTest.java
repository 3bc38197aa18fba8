package dev.moat.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command lines sent for plain and become commands. */
class SudoTest {
    @Test
    void plainRunsAFixedRunnerAndTheScriptFollowsOnStdin() {
        String l = Sudo.plain(10);
        assertTrue(l.startsWith("sh -c 'IFS= read -r n"), l);
        assertTrue(l.contains("timeout -k 5 11 sh /dev/fd/3"), l);
        assertArrayEquals("9\necho it'sIN".getBytes(StandardCharsets.UTF_8),
                Sudo.payload("echo it's", "IN".getBytes(StandardCharsets.UTF_8)));
        assertEquals("4\nd\u00e9j\u00e0".length() + 2, Sudo.payload("d\u00e9j\u00e0", new byte[0]).length, "the length counts bytes");
    }

    @Test
    void becomeWithoutPasswordNeverPrompts() {
        Sudo s = new Sudo();
        String l = s.line("postgres", false, 60);
        assertTrue(l.startsWith("sudo -n -u postgres -H -- sh -c 'echo " + s.marker + "; "), l);
        assertFalse(l.contains("-S"), l);
    }

    @Test
    void becomeWithPasswordUsesItsOwnPrompt() {
        Sudo s = new Sudo();
        String l = s.line("root", true, 60);
        assertTrue(l.startsWith("sudo -S -p '" + s.prompt + "' -u root -H -- "), l);
        assertFalse(s.prompt.contains("%"));
        assertNotEquals(s.marker, new Sudo().marker);
        assertEquals(-1, l.indexOf("password"));
    }
}
