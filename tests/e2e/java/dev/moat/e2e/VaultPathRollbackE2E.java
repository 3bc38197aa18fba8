package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rolling back a run whose paths came from a Vault value (issue 12): a vars file encrypted by the
 * real {@code ansible-vault} names a directory; a play writes a new file and changes an existing one
 * under it. The run record on the controller holds the paths masked, and {@code moat rollback last}
 * (which is given no vault password) restores both, taking the real paths from the host's journal.
 * Every file moat wrote on the controller, and everything it printed, is then searched for the
 * secret: it is not there; on the host it is only in the run's root-only journal, beside the files
 * it names anyway.
 */
class VaultPathRollbackE2E {
    static Testbed tb;
    static Path dir;
    static Map<String, String> env;
    static final String HOST = "h1";
    static final String SECRET = "vaulted-" + Long.toHexString(System.nanoTime());

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        dir = Files.createTempDirectory("moat-vault-path");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString());
        Files.writeString(dir.resolve("vault-pass"), "pw-" + System.nanoTime() + "\n");
        Files.writeString(dir.resolve("secrets.yml"), "secret_dir: " + SECRET + "\n");
        ProcResult enc = Procs.run(List.of("ansible-vault", "encrypt", "--vault-password-file", dir.resolve("vault-pass").toString(),
                dir.resolve("secrets.yml").toString()), null, Map.of(), null, Duration.ofMinutes(2));
        assertTrue(enc.ok(), enc.describe());
        assertTrue(Files.readString(dir.resolve("secrets.yml")).startsWith("$ANSIBLE_VAULT;1.1;AES256"), "encrypted by ansible-vault");
        tb.execOk(HOST, "rm -rf /srv/moat-" + SECRET + " && mkdir -p /srv/moat-" + SECRET
                + " && printf 'old\\n' > /srv/moat-" + SECRET + "/notes && chmod 640 /srv/moat-" + SECRET + "/notes");
    }

    @AfterAll
    static void tearDown() {
        if (tb != null) tb.exec(HOST, "rm -rf /srv/moat-" + SECRET);
    }

    static String state() {
        return tb.execOk(HOST, "cd /srv/moat-" + SECRET + " && for f in notes new.txt; do if [ -e $f ]; then echo \"$f $(stat -c '%a %U' $f)"
                + " $(cat $f)\"; else echo \"$f absent\"; fi; done");
    }

    @Test
    void aRunWhosePathsCameFromTheVaultRollsBackWithoutTheControllerEverHoldingTheSecret() throws Exception {
        String before = state();
        Path pb = dir.resolve("vault-path.yml");
        Files.writeString(pb, """
                - hosts: %s
                  gather_facts: false
                  vars_files: [secrets.yml]
                  tasks:
                    - name: a new file under the vaulted directory
                      copy: {content: "hello\\n", dest: "/srv/moat-{{ secret_dir }}/new.txt", mode: "0600"}
                    - name: an existing file under it
                      copy: {content: "new\\n", dest: "/srv/moat-{{ secret_dir }}/notes"}
                """.formatted(HOST));
        List<ProcResult> printed = new ArrayList<>();
        ProcResult r = MoatCli.run(null, env, Duration.ofMinutes(5), "apply", pb.toString(), "-i", tb.inventory().toString(),
                "--vault-password-file", dir.resolve("vault-pass").toString());
        printed.add(r);
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("notes 640 root new\nnew.txt 600 root hello\n", state());

        ProcResult rb = MoatCli.run(null, env, Duration.ofMinutes(5), "rollback", "last", "-i", tb.inventory().toString());
        printed.add(rb);
        assertEquals(0, rb.exitCode(), rb.describe());
        assertTrue(rb.stdout().contains("rolled back: [" + HOST + "] restored 2 change(s)"), rb.describe());
        assertEquals(before, state(), "both files back as they were, from the paths the host's journal keeps");
        printed.add(MoatCli.run(null, env, Duration.ofMinutes(1), "runs"));

        // Nothing moat wrote on the controller or printed holds the secret.
        List<Path> written;
        try (Stream<Path> s = Files.walk(dir.resolve("home"))) {
            written = s.filter(Files::isRegularFile).toList();
        }
        assertFalse(written.isEmpty());
        for (Path f : written) assertFalse(Files.readString(f).contains(SECRET), "the secret in " + f);
        for (ProcResult p : printed) assertFalse((p.stdout() + p.stderr()).contains(SECRET), p.describe());
        String record = Files.readString(written.stream().filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow());
        assertTrue(record.contains("********"), "the record holds the paths masked");

        // On the host, the run's journal keeps the paths, root-only.
        String runId;
        try (Stream<Path> s = Files.list(dir.resolve("home/runs"))) {
            runId = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).findFirst().orElseThrow().replace(".json", "");
        }
        String journal = "/var/lib/moat/runs/" + runId;
        assertEquals("700 root\n", tb.execOk(HOST, "stat -c '%a %U' " + journal));
        assertEquals("/srv/moat-" + SECRET + "/new.txt", tb.execOk(HOST, "cat " + journal + "/1/path"));
        // The snapshots held the secret before: tar's member names and the listings name the files.
        String holding = tb.execOk(HOST, "cd " + journal + " && grep -rl -- " + SECRET + " . | sort");
        assertTrue(holding.contains("./1/path\n") && holding.contains("./2/data.tar\n"), holding);
    }
}
