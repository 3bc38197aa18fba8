package dev.moat.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.MoatException;
import dev.moat.engine.Catalog;
import dev.moat.modules.Modules;
import dev.moat.playbook.Play;
import dev.moat.playbook.Playbook;
import dev.moat.playbook.PlaybookLoader;
import dev.moat.template.Secrets;
import dev.moat.template.Templar;
import dev.moat.yaml.Unsafe;

/**
 * {@code vars_prompt} and a templated {@code hosts:} against what {@code ansible-playbook} made of
 * the same play (recorded in {@code src/test/resources/cli/varsprompt/}: defaults rendered, a value
 * given with -e not asked, encrypt with a salt, hosts from -e, a pattern matching nothing), and the
 * questions asked on a fake terminal.
 */
class PlayInputsTest {
    private static final Path DIR = Path.of("src/test/resources/cli/varsprompt").toAbsolutePath();

    @TempDir
    Path tmp;

    @AfterEach
    void restore() {
        PlaybookRun.terminal = Terminal::system;
    }

    private static Playbook load(Path file) {
        return PlaybookLoader.load(file, Catalog.of(Modules.builtin()));
    }

    /** The recorded debug line: name=value pairs. */
    private static Map<String, String> recorded() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : Files.readAllLines(DIR.resolve("expected.txt")).get(1).split(" ")) {
            out.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        return out;
    }

    @Test
    void withoutATerminalDefaultsAreTakenAndHashedAsAnsibleDoes() throws Exception {
        Templar templar = new Templar(DIR, new Secrets());
        Playbook pb = new PlayInputs(Map.of("given", "fromcli"), templar, null, true).settle(load(DIR.resolve("site.yml")));
        Play p = pb.plays().get(0);
        assertEquals("PLAY [" + p.name() + "]", Files.readAllLines(DIR.resolve("expected.txt")).get(0));
        assertEquals("all", p.hosts());
        Map<String, String> expected = recorded();
        assertFalse(p.vars().containsKey("given"), "a variable -e gives is not asked");
        for (String name : List.of("release", "hashed", "hashed256", "bhashed")) {
            assertEquals(expected.get(name), p.vars().get(name), name);
        }
    }

    @Test
    void asksOnTheTerminalPrivateWithoutEchoConfirmedAndMasked() throws Exception {
        Path play = tmp.resolve("p.yml");
        Files.writeString(play, """
                - hosts: all
                  vars_prompt:
                    - name: pw
                      prompt: Admin password
                      confirm: true
                    - name: release
                      default: stable
                      private: false
                    - name: raw
                      unsafe: true
                      private: false
                  tasks: [{debug: {msg: hi}}]
                """);
        Secrets secrets = new Secrets();
        FakeTerminal t = new FakeTerminal("hunter2", "hunter3", "hunter2", "hunter2", "", "{{ x }}");
        Play p = new PlayInputs(Map.of(), new Templar(tmp, secrets), t, true).settle(load(play)).plays().get(0);
        assertEquals(List.of("secret Admin password: ", "secret confirm Admin password: ", "say ***** VALUES ENTERED DO NOT MATCH ****",
                "secret Admin password: ", "secret confirm Admin password: ", "line release [stable]: ", "line raw: "), t.log);
        assertEquals("hunter2", p.vars().get("pw"));
        assertEquals("stable", p.vars().get("release"), "Enter takes the default");
        assertEquals(new Unsafe("{{ x }}"), p.vars().get("raw"));
        assertEquals("pw is ********", secrets.mask("pw is hunter2"));
        assertEquals("release stable", secrets.mask("release stable"), "a default is not a secret");
    }

    @Test
    void withoutATerminalOrDefaultOrDashEMoatRefusesNamingTheVariable() {
        MoatException e = assertThrows(MoatException.class,
                () -> new PlayInputs(Map.of(), new Templar(DIR, new Secrets()), null, true).settle(load(DIR.resolve("site.yml"))));
        assertEquals(64, e.exitCode());
        assertTrue(e.getMessage().contains("asks for 'given' (vars_prompt), but moat's input is not a terminal"), e.getMessage());
        assertTrue(e.getMessage().contains("site.yml:11:"), e.getMessage());
        assertTrue(e.getMessage().contains("-e given=VALUE"), e.getMessage());
    }

    @Test
    void anEncryptSchemeMoatCannotHashIsRefusedAtItsPlace() throws Exception {
        Path play = tmp.resolve("p.yml");
        Files.writeString(play, "- hosts: all\n  vars_prompt:\n    - name: pw\n      encrypt: md5_crypt\n  tasks: []\n");
        MoatException e = assertThrows(MoatException.class, () -> load(play));
        assertEquals(65, e.exitCode());
        assertTrue(e.getMessage().contains("p.yml:4:16") && e.getMessage().contains("not 'md5_crypt'"), e.getMessage());
    }

    private record Run(int code, String out, String err) {}

    private static Run moat(String... args) {
        PlaybookRun.terminal = () -> null;
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void templatedHostsListAsAnsibleListsThem() throws Exception {
        String site = DIR.resolve("site.yml").toString();
        Run r = moat("apply", site, "-i", "localhost,", "-e", "given=x", "-e", "target=localhost", "-e", "play_title=Listed", "--list-hosts");
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(DIR.resolve("expected-list.txt")).replace("playbook: site.yml", "playbook: " + site), r.out());
    }

    @Test
    void aTemplatedPatternMatchingNothingWarnsAndSkipsThePlay() throws Exception {
        Run r = moat("apply", DIR.resolve("site.yml").toString(), "-i", "localhost,", "-e", "given=x", "-e", "target=nohost");
        assertEquals(0, r.code(), r.err());
        String warning = Files.readAllLines(DIR.resolve("expected-nohost.txt")).get(1);
        assertTrue(r.err().contains(warning + "\n"), r.err());
    }
}
