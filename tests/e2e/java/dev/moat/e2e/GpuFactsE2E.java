package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GPU facts over SSH on a testbed host with the stub {@code nvidia-smi} (tests/fixtures/gpu/) on its
 * PATH: moat_gpus and ansible_facts.gpus come from it in the play's one read, and a play that names
 * no GPU fact does not run it. No real GPU host was available: the stub answers in NVIDIA's
 * documented format, so this checks the plumbing (script, PATH, parsing over SSH), not a driver.
 */
class GpuFactsE2E {
    static final String STUB = "/usr/local/bin/nvidia-smi";
    static final String LOG = "/tmp/moat-nvidia-smi-calls";
    static Testbed tb;
    static Path home;
    static Map<String, String> env;

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        home = Files.createTempDirectory("moat-home");
        env = Map.of("MOAT_HOME", home.toString());
        String stub = Files.readString(Path.of("tests/fixtures/gpu/nvidia-smi"))
                .replaceFirst("\n", java.util.regex.Matcher.quoteReplacement("\necho \"$*\" >> " + LOG + "\n"));
        tb.put("h1", stub, STUB);
        tb.execOk("h1", "chmod 755 " + STUB + " && rm -f " + LOG);
    }

    @AfterAll
    static void tearDown() {
        tb.exec("h1", "rm -f " + STUB + " " + LOG);
    }

    static ProcResult check(String yaml) throws Exception {
        Path pb = home.resolve("gpus.yml");
        Files.writeString(pb, yaml);
        return MoatCli.run(null, env, Duration.ofMinutes(5), "check", pb.toString(), "-i", tb.inventory().toString(), "-l", "h1");
    }

    @Test
    void gpuFactsComeFromNvidiaSmiOnTheHostsPath() throws Exception {
        ProcResult r = check("""
                - hosts: h1
                  tasks:
                    - debug:
                        msg: "gpus={{ moat_gpus | length }} mig={{ moat_gpus | map(attribute='mig_mode') | join(',') }} cuda={{ ansible_facts.gpus[0].cuda_version }} mem={{ ansible_gpus[1].memory_total_mib }} bus={{ moat_gpus[1].pci_bus_id }}"
                """);
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("gpus=2 mig=Disabled,Enabled cuda=12.2 mem=81920 bus=0000:0f:00.0"), r.stdout());
        assertTrue(tb.execOk("h1", "cat " + LOG).contains("--query-gpu="), "the stub was asked");
    }

    @Test
    void aPlayThatNamesNoGpuFactDoesNotAskNvidiaSmi() throws Exception {
        tb.execOk("h1", "rm -f " + LOG);
        ProcResult r = check("- hosts: h1\n  tasks:\n    - debug: {msg: \"{{ ansible_distribution }}\"}\n");
        assertEquals(0, r.exitCode(), r.describe());
        assertNotEquals(0, tb.exec("h1", "test -e " + LOG).exitCode(), "nvidia-smi was not run");
    }
}
