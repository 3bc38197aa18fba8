package dev.moat.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adversarial input, kept as fixtures under {@code src/test/resources/bad/}: each gets its exit
 * code and a one-paragraph message naming the file (and line, byte or argument), never a stack
 * trace and never a run on every host.
 */
class BadInputTest {
    private static final Path BAD = Path.of("src/test/resources/bad");

    private record Run(int code, String out, String err) {}

    private static Run moat(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private static void refused(Run r, int code, String... parts) {
        assertEquals(code, r.code(), r.err());
        for (String p : parts) assertTrue(r.err().contains(p), "'" + p + "' in: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one paragraph: " + r.err());
    }

    @Test
    void anAliasBombIsRefusedNamingFileAndLine() {
        // 400 bytes that expand to 9^9 values: refused before anything is expanded.
        refused(moat("inventory", "-i", BAD.resolve("alias-bomb.yml").toString(), "--list"), 65,
                "alias-bomb.yml:", "alias bomb", "(exit 65)");
    }

    @Test
    void textThatIsNotUtf8NamesTheByteOffset() {
        refused(moat("inventory", "-i", BAD.resolve("latin1.yml").toString(), "--list"), 65,
                "latin1.yml:4:17: not valid UTF-8 text: bad byte at offset 38");
    }

    @Test
    void aDeviceOrAHugeFileIsNeverRead(@TempDir Path tmp) throws IOException {
        refused(moat("apply", BAD.resolve("play.yml").toString(), "-i", BAD.resolve("good-inventory.yml").toString(),
                "--syntax-check", "-e", "@/dev/zero"), 64, "/dev/zero is not a regular file");
        Path big = tmp.resolve("big.yml");
        Files.write(big, new byte[9 * 1024 * 1024]);
        refused(moat("inventory", "-i", big.toString(), "--list"), 65, "big.yml", "the limit is 8 MiB");
    }

    @Test
    void extraVarsFromAFileAreAnsibleStyleNotPicocliArgumentFiles() {
        Run r = moat("apply", BAD.resolve("play.yml").toString(), "-i", BAD.resolve("good-inventory.yml").toString(),
                "--syntax-check", "-e", "@" + BAD.resolve("vars.yml"));
        assertEquals(0, r.code(), r.err());
        refused(moat("apply", BAD.resolve("play.yml").toString(), "-i", BAD.resolve("good-inventory.yml").toString(),
                "--syntax-check", "-e", "@" + BAD.resolve("missing.yml")), 64, "no such file", "missing.yml");
    }

    @Test
    void aPortOutOfRangeNamesHostAndVariable() {
        refused(moat("apply", BAD.resolve("play.yml").toString(), "-i", BAD.resolve("bad-port.yml").toString(),
                "--syntax-check"), 65, "host a: ansible_port is '99999', not a port number");
        refused(moat("apply", BAD.resolve("play.yml").toString(), "-i", BAD.resolve("good-inventory.yml").toString(),
                "-e", "ansible_port=-5"), 65, "host a: ansible_port is '-5'");
    }

    @Test
    void numbersThatMustBePositiveAreUsageErrors() {
        String play = BAD.resolve("play.yml").toString(), inv = BAD.resolve("bad-port.yml").toString();
        assertEquals(64, moat("apply", play, "-i", inv, "--timeout", "0").code());
        assertEquals(64, moat("apply", play, "-i", inv, "--guard-timeout", "0").code());
        assertEquals(64, moat("apply", play, "-i", inv, "--forks", "-1").code());
        assertEquals(64, moat("runs", "-n", "-1").code());
        assertEquals(64, moat("scan", "-i", inv, "--timeout-ms", "0").code());
        assertEquals(64, moat("scan", "-i", inv, "--concurrency", "0").code());
        assertTrue(moat("runs", "-n", "-1").err().contains("'-1' must be at least 1"));
    }

    @Test
    void aLimitThatIsNoPatternTouchesNoHost() {
        String play = BAD.resolve("play.yml").toString(), inv = BAD.resolve("bad-port.yml").toString();
        refused(moat("apply", play, "-i", inv, "--limit", "~["), 64, "invalid host pattern");
        refused(moat("apply", play, "-i", inv, "--limit", "~"), 64, "invalid host pattern");
    }

    @Test
    void anInventoryCannotTurnHostKeyCheckingOff() {
        refused(moat("apply", BAD.resolve("play.yml").toString(), "-i", BAD.resolve("no-host-keys.yml").toString()), 65,
                "host a: ansible_ssh_common_args: StrictHostKeyChecking=no would trust unknown host keys");
    }

    @Test
    void aDecimalModeIsWarnedAboutOnceNamingFileAndLineInHumanAndJsonOutput() {
        String play = BAD.resolve("decimal-mode.yml").toString(), inv = BAD.resolve("good-inventory.yml").toString();
        String warning = play + ":3:53: mode: 600 is a decimal number, which Ansible and moat take as mode 01130; write 0600 or '600' for octal 600";
        Run r = moat("apply", play, "-i", inv, "--syntax-check");
        assertEquals(0, r.code(), r.err());
        assertEquals("warning: " + warning + "\n", r.err(), "0644 and '600' are octal: one warning");
        Run j = moat("apply", play, "-i", inv, "--syntax-check", "--json");
        assertEquals(0, j.code(), j.err());
        assertEquals("", j.err());
        assertTrue(j.out().startsWith("{\"event\":\"warning\",\"where\":\"" + play + ":3:53\",\"message\":\"mode: 600 is a decimal number,"),
                j.out());
    }

    @Test
    void aTemplatedConnectionVariableIsCheckedAfterRenderingBeforeAnyHost() {
        String play = BAD.resolve("play.yml").toString(), inv = BAD.resolve("templated-connection.yml").toString();
        refused(moat("apply", play, "-i", inv, "--limit", "b", "--syntax-check"), 65, "host b: ansible_port is 'abc', not a port number");
        refused(moat("apply", play, "-i", inv, "--limit", "c", "--syntax-check"), 65,
                "host c: ansible_user: cannot render '{{ nobody_set_this }}'");
        assertEquals(0, moat("apply", play, "-i", inv, "--limit", "a", "--syntax-check").code());
    }

    @Test
    void aVarsFileThatIsADeviceIsRefusedNamingPlaybookLine() {
        refused(moat("apply", BAD.resolve("device-vars.yml").toString(), "-i", BAD.resolve("good-inventory.yml").toString(), "--syntax-check"),
                65, "device-vars.yml:3:7: vars_files: /dev/zero is not a regular file");
    }

    @Test
    void anExtraVarsFileThatIsNotYamlIsNamedButNeverEchoed() {
        Run r = moat("apply", BAD.resolve("play.yml").toString(), "-i", BAD.resolve("good-inventory.yml").toString(),
                "--syntax-check", "-e", "@" + BAD.resolve("secret-not-yaml.txt"));
        refused(r, 65, "secret-not-yaml.txt:");
        assertFalse(r.err().contains("hunter2") || r.out().contains("hunter2"), r.err());
    }
}
