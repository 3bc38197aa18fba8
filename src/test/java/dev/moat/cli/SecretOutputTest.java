package dev.moat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.engine.LocalRun;
import dev.moat.engine.TaskResult;
import dev.moat.runs.RunRecorder;
import dev.moat.transport.Command;
import dev.moat.vault.Vault;
import dev.moat.vault.VaultIds;
import dev.moat.yaml.YamlLoader;

/**
 * Values derived from a secret never reach any output. A real playbook, rendered by the real
 * Templar and run through the engine on this machine, heard by the real human printer (-vv, with
 * diffs), the --json printer and the run recorder.
 */
class SecretOutputTest {
    private static final String SECRET = "Hunter2-Secret-Value";

    @TempDir
    Path tmp;

    private final StringWriter human = new StringWriter();
    private final StringWriter json = new StringWriter();

    private LocalRun run(String playbook) throws Exception {
        return run(playbook, new LocalRun(tmp));
    }

    private LocalRun run(String playbook, LocalRun run) throws Exception {
        Files.writeString(tmp.resolve("secret.txt"), SECRET + "\n");
        Files.createDirectories(tmp.resolve("runs"));
        run.listeners.add(new HumanPrinter(new PrintWriter(human), false, true, 2, run.secrets::mask));
        run.listeners.add(new JsonPrinter(new PrintWriter(json), run.secrets::mask));
        RunRecorder recorder = new RunRecorder(tmp.resolve("runs"), "apply", run.secrets::mask);
        run.listeners.add(recorder);
        run.run(playbook, "h1");
        recorder.write(run.ledgers);
        return run;
    }

    private String record() throws Exception {
        try (var files = Files.list(tmp.resolve("runs"))) {
            return Files.readString(files.findFirst().orElseThrow());
        }
    }

    private void assertNowhere(String what, List<String> forbidden) throws Exception {
        Map<String, String> outputs = Map.of("human", human.toString(), "json", json.toString(), "record", record());
        for (String f : forbidden) {
            outputs.forEach((name, text) -> assertFalse(text.contains(f), what + ": '" + f + "' in the " + name + " output:\n" + text));
        }
    }

    @Test
    void whatAShellTaskMakesOfASecretIsMaskedEverywhere() throws Exception {
        LocalRun run = run("""
                - hosts: all
                  vars:
                    token: "{{ lookup('file', 'secret.txt') }}"
                  tasks:
                    - name: encode it
                      shell: "echo {{ token | b64encode }} > TMP/out && echo {{ token | upper | quote }} >> TMP/out"
                    - name: slice it
                      command: "touch TMP/{{ token[0:9] }}"
                    - name: fail with it
                      shell: "echo {{ token | lower }} >&2; exit 3"
                      ignore_errors: true
                """);
        String b64 = Base64.getEncoder().encodeToString(SECRET.getBytes());
        assertEquals(b64 + "\n" + SECRET.toUpperCase() + "\n", Files.readString(tmp.resolve("out")), "the host gets the real values");
        assertTrue(Files.exists(tmp.resolve(SECRET.substring(0, 9))));
        assertNowhere("derived values", List.of(SECRET, b64, SECRET.toUpperCase(), SECRET.toLowerCase(), SECRET.substring(0, 9)));
        assertTrue(human.toString().contains("changed: [h1] encode it"), human.toString());
        assertTrue(human.toString().contains("failed: [h1] fail with it"), human.toString());
        // A task whose arguments held a secret runs its commands as sensitive (never in -vv) and
        // its journal entry says only that there was an action.
        for (Command c : run.transports.get("h1").commands) {
            if (c.script().contains(b64) || c.script().contains(SECRET.substring(0, 9))) assertTrue(c.sensitive(), c.script());
        }
        assertTrue(record().contains("an action of a no_log task or of one holding a secret (hidden)"), record());
    }

    @Test
    void vaultedValuesAndWhatIsMadeOfThemAreMaskedEverywhere() throws Exception {
        Path vault = Path.of("src/test/resources/vault").toAbsolutePath();
        Vault.install(VaultIds.load(List.of("dev@" + vault.resolve("dev-password.txt")), List.of(vault.resolve("password.txt")), false, null));
        try {
            LocalRun run = new LocalRun(tmp);
            Vault.current().onReveal(run.secrets::add);
            // The inventory's variables, as group_vars would give them: inline !vault values.
            @SuppressWarnings("unchecked")
            Map<String, Object> vars = (Map<String, Object>) YamlLoader.load(vault.resolve("inline-vars.yml")).toPlain();
            run.hostVars = vars;
            run("""
                    - hosts: all
                      tasks:
                        - name: use the vault
                          shell: "echo {{ db_password | b64encode }} {{ dev_password | upper }} {{ plain_value }} > TMP/v"
                    """, run);
            String b64 = Base64.getEncoder().encodeToString("inline-Pa55word".getBytes());
            assertEquals(b64 + " DEV-PA55WORD visible\n", Files.readString(tmp.resolve("v")));
            assertNowhere("vaulted values", List.of("inline-Pa55word", "dev-Pa55word", b64, "DEV-PA55WORD"));
        } finally {
            Vault.install(null);
        }
    }

    @Test
    void aSecretFilesContentsAreHiddenAndOtherFilesShowAMaskedUnifiedDiff() throws Exception {
        LocalRun run = run("""
                - hosts: all
                  vars:
                    token: "{{ lookup('file', 'secret.txt') }}"
                  tasks:
                    - name: private key
                      copy: {dest: TMP/private.key, content: "not a lookup, but 0600\\n", mode: "0600"}
                    - name: public conf
                      copy: {dest: TMP/app.conf, content: "port=8000\\n", mode: "0644"}
                    - name: conf with a secret
                      copy: {dest: TMP/app2.conf, content: "key={{ token | b64encode }}\\n", mode: "0644"}
                """);
        assertNowhere("file contents", List.of("not a lookup, but 0600", "key=", SECRET));
        String h = human.toString();
        assertTrue(h.contains("--- " + tmp.resolve("private.key") + "\n+++ " + tmp.resolve("private.key")
                + "\n    (contents hidden: a secret file)"), h);
        assertTrue(h.contains("+port=8000"), "a file that is not secret shows its diff: " + h);
        assertTrue(json.toString().contains("\"path\":\"" + tmp.resolve("private.key") + "\",\"contents\":\"hidden\""), json.toString());
        assertTrue(json.toString().contains("\"diff\":\"--- " + tmp.resolve("app.conf")), json.toString());
        assertTrue(record().contains("\"contents\" : \"hidden\""), record());
        TaskResult withSecret = run.results.stream().filter(r -> r.task().equals("conf with a secret")).findFirst().orElseThrow();
        assertTrue(withSecret.diffs().get(0).hidden(), "a file written from a secret keeps its contents out: " + withSecret.diffs());
    }
}
