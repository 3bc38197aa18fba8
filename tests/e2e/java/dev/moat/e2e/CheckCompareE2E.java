package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus roles that need the internet (geerlingguy.docker, nvidia.nvidia_driver,
 * nvidia.nvidia_docker, geerlingguy.certbot's snap branch), in check mode on a systemd testbed host:
 * {@code tests/tools/check-compare --recorded} runs moat and compares it, task by task, with
 * Ansible's check run recorded on a twin host ({@code tests/fixtures/check-compare/CASE/ansible.json}),
 * and fails unless the comparison, differences included, is the recorded {@code compare.txt}. So a
 * moat change that closes or opens a difference from Ansible shows here without Ansible installed;
 * re-record with {@code --record} (the fixtures' README says how).
 */
@Tag("systemd")
class CheckCompareE2E {
    static final Path FIXTURES = MoatCli.root().resolve("tests/fixtures/check-compare");
    static final Path CORPUS = Path.of("/work/shared/corpus");
    private static Testbed tb;

    @BeforeAll
    static void testbed() {
        tb = Testbed.fromEnv();
        assumeTrue(tb.systemd(), "testbed hosts do not run systemd (up --systemd)");
        assumeTrue(Files.isDirectory(CORPUS.resolve("roles")), "the shared corpus is not at " + CORPUS);
    }

    static Stream<String> cases() throws IOException {
        try (Stream<Path> s = Files.list(FIXTURES)) {
            return s.filter(p -> Files.exists(p.resolve("compare.txt"))).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void moatsCheckRunComparesWithAnsiblesAsRecorded(String name) throws IOException {
        Path dir = FIXTURES.resolve(name);
        List<String> cmd = new ArrayList<>(List.of(MoatCli.root().resolve("tests/tools/check-compare").toString(),
                FIXTURES.resolve("content").toString()));
        cmd.addAll(Arrays.asList(Files.readString(dir.resolve("args")).strip().split("\\s+")));
        cmd.addAll(List.of("--moat-host", tb.hosts().get(0).name(), "--recorded", dir.toString()));
        ProcResult r = Procs.run(cmd, MoatCli.root(), Map.of("MOAT_TESTBED_DIR", tb.dir().toString(),
                "MOAT", String.join(" ", MoatCli.command(List.of()))), "", Duration.ofMinutes(5));
        assertEquals(0, r.exitCode(), name + ":\n" + r.stdout() + r.stderr());
    }
}
