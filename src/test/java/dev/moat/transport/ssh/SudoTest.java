package dev.moat.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The command lines sent for plain and become commands. */
class SudoTest {
    @Test
    void plainPassesTheScriptAsOneQuotedArgument() {
        String l = Sudo.plain("echo it's", 10);
        assertTrue(l.startsWith("sh -c 'if command -v timeout"), l);
        assertTrue(l.contains("timeout -k 5 11 sh -c \"$1\""), l);
        assertTrue(l.endsWith(" sh 'echo it'\\''s'"), l);
    }

    @Test
    void becomeWithoutPasswordNeverPrompts() {
        Sudo s = new Sudo();
        String l = s.line("id", "postgres", false, 60);
        assertTrue(l.startsWith("sudo -n -u postgres -H -- sh -c 'echo " + s.marker + "; "), l);
        assertFalse(l.contains("-S"), l);
    }

    @Test
    void becomeWithPasswordUsesItsOwnPrompt() {
        Sudo s = new Sudo();
        String l = s.line("id", "root", true, 60);
        assertTrue(l.startsWith("sudo -S -p '" + s.prompt + "' -u root -H -- "), l);
        assertFalse(s.prompt.contains("%"));
        assertNotEquals(s.marker, new Sudo().marker);
        assertEquals(-1, l.indexOf("password"));
    }
}
