package dev.moat.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The step scripts, run with the local sh; docker and compose are fakes on PATH that log or answer from files. */
class ScriptsTest {
    @TempDir
    Path tmp;

    @Test
    void writeReplacesAtomicallyKeepingModeAndRefusesAConcurrentEdit() throws Exception {
        Path f = tmp.resolve("docker-compose.yml");
        Files.writeString(f, "old\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        Path link = tmp.resolve("link.yml");
        Files.createSymbolicLink(link, f);
        LocalSh.Result r = LocalSh.run(Scripts.write(link.toString(), "old\n"), "new ✓\r\n".getBytes(StandardCharsets.UTF_8), null, Map.of());
        assertEquals(0, r.rc(), r.err());
        assertEquals("new ✓\r\n", Files.readString(f));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        try (var s = Files.list(tmp)) {
            assertEquals(2, s.count(), "no temp file left");
        }
        LocalSh.Result again = LocalSh.run(Scripts.write(f.toString(), "old\n"), "newer".getBytes(StandardCharsets.UTF_8), null, Map.of());
        assertEquals(1, again.rc());
        assertTrue(again.err().contains("changed since it was read"), again.err());
        assertEquals("new ✓\r\n", Files.readString(f));
    }

    private Map<String, String> fakeBin(String docker) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path d = bin.resolve("docker");
        Files.writeString(d, "#!/bin/sh\n" + docker);
        Path dc = bin.resolve("docker-compose");
        Files.writeString(dc, "#!/bin/sh\necho \"docker-compose $* (in $(pwd))\" >> " + tmp.resolve("log") + "\n");
        for (Path p : List.of(d, dc)) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return Map.of("PATH", bin + ":" + System.getenv("PATH"));
    }

    @Test
    void recreateRunsFromTheProjectDirectoryWithItsNameAndFiles() throws Exception {
        Path proj = Files.createDirectories(tmp.resolve("my app"));
        Map<String, String> env = fakeBin("echo \"docker $* (in $(pwd))\" >> " + tmp.resolve("log") + "\n");
        Recreate g = new Recreate("myapp", proj.toString(), List.of(proj + "/compose.yaml", proj + "/gpu.yml"), List.of("vllm", "ollama"),
                List.of("comfy"), true);
        assertEquals(0, LocalSh.run(Scripts.recreate("docker compose", g), null, null, env).rc());
        assertEquals(0, LocalSh.run(Scripts.recreate("docker-compose", g), null, null, env).rc());
        List<String> log = Files.readAllLines(tmp.resolve("log"));
        String files = "-f " + proj + "/compose.yaml -f " + proj + "/gpu.yml -p myapp";
        assertEquals(List.of(
                "docker compose " + files + " up -d --no-deps --force-recreate vllm ollama (in " + proj + ")",
                "docker compose " + files + " up --no-start --no-deps --force-recreate comfy (in " + proj + ")",
                "docker-compose " + files + " up -d --no-deps --force-recreate vllm ollama (in " + proj + ")",
                "docker-compose " + files + " up --no-start --no-deps --force-recreate comfy (in " + proj + ")"), log);
    }

    /** A fake docker whose ps lists container c1 and whose inspect prints the template's output from a file. */
    private Map<String, String> fakeInspect(String inspectLine) throws Exception {
        Files.writeString(tmp.resolve("inspect"), inspectLine + "\n");
        return fakeBin("case \"$1\" in\n"
                + "  ps) echo \"$*\" >> " + tmp.resolve("ps.log") + "; echo c1;;\n"
                + "  inspect) cat " + tmp.resolve("inspect") + ";;\n"
                + "esac\n");
    }

    private LocalSh.Result verify(String inspectLine, String bind, PortFilter filter) throws Exception {
        Recreate g = new Recreate("proj", "/x", List.of("/x/compose.yaml"), List.of("vllm"), List.of(), true);
        return LocalSh.run(Scripts.verify(g, bind, filter), null, null, fakeInspect(inspectLine));
    }

    @Test
    void verifyPassesOnLoopbackAndTheBindAddress() throws Exception {
        assertEquals(0, verify("/proj-vllm-1 8000/tcp|127.0.0.1|8000 8000/tcp|127.0.0.1|8000 9000/udp|::1|9000", "127.0.0.1", PortFilter.ALL).rc());
        assertEquals(0, verify("/proj-vllm-1 8000/tcp|10.0.0.5|8000", "10.0.0.5", PortFilter.ALL).rc());
        assertEquals(0, verify("/proj-vllm-1", "127.0.0.1", PortFilter.ALL).rc());
        String ps = Files.readString(tmp.resolve("ps.log"));
        assertTrue(ps.contains("--filter label=com.docker.compose.project=proj --filter label=com.docker.compose.service=vllm"), ps);
    }

    @Test
    void verifyFailsNamingTheContainerAndPort() throws Exception {
        LocalSh.Result r = verify("/proj-vllm-1 8000/tcp|0.0.0.0|8000 8000/tcp|::|8000", "127.0.0.1", PortFilter.ALL);
        assertEquals(1, r.rc());
        assertTrue(r.err().contains("proj-vllm-1 still publishes 0.0.0.0:8000->8000/tcp"), r.err());
        assertTrue(r.err().contains("proj-vllm-1 still publishes :::8000->8000/tcp"), r.err());
        LocalSh.Result empty = verify("/proj-vllm-1 8000/tcp||", "127.0.0.1", PortFilter.ALL);
        assertEquals(1, empty.rc(), "an empty HostIp is every interface");
        assertFalse(verify("/c 8000/tcp|10.0.0.5|8000", "127.0.0.1", PortFilter.ALL).rc() == 0);
    }

    @Test
    void verifyChecksOnlyPortsInScope() throws Exception {
        PortFilter f = PortFilter.parse(List.of(8000, "11434-11435"));
        assertEquals(0, verify("/c 22/tcp|0.0.0.0|2222 8000/tcp|127.0.0.1|8000", "127.0.0.1", f).rc());
        assertEquals(1, verify("/c 80/tcp|0.0.0.0|11435", "127.0.0.1", f).rc(), "host port in scope");
        assertEquals(1, verify("/c 8000/tcp|0.0.0.0|", "127.0.0.1", f).rc(), "container port in scope");
    }
}
