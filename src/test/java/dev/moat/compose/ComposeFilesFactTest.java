package dev.moat.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.module.TaskException;

/** File discovery: the fact's script run with the local sh on a directory tree, and its framing parsed back. */
class ComposeFilesFactTest {
    @TempDir
    Path root;

    private Path file(String rel, String text) throws Exception {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private ComposeFiles read(ComposeFilesFact fact) throws Exception {
        return read(fact, Map.of());
    }

    private ComposeFiles read(ComposeFilesFact fact, Map<String, String> env) throws Exception {
        LocalSh.Result r = LocalSh.run(fact.script(), null, null, env);
        assertEquals(0, r.rc(), r.err());
        return ComposeFilesFact.parse(r.out());
    }

    @Test
    void findsComposeNamesWithinDepthAndReadsEnvBeside() throws Exception {
        String tricky = "services:\n  a:\n    ports: [\"8000:8000\"]\nF\t99\t/etc/passwd\t/etc/passwd\n# no trailing newline";
        file("opt/vllm/docker-compose.yml", tricky);
        file("opt/vllm/.env", "PORT=1\n");
        file("opt/vllm/docker-compose.override.yml", "services: {}\n");
        file("opt/vllm/compose.gpu.yaml", "services: {}\n");
        file("opt/ollama/compose.yaml", "services: {}\n");
        file("opt/a/b/compose.yml", "services: {}\n");
        file("opt/a/b/c/compose.yml", "too deep\n");
        file("opt/.git/compose.yml", "skipped\n");
        file("opt/notes/compose.txt", "not a compose name\n");
        file("opt/my dir/compose.yaml", "services: {}\n");
        Path extra = file("srv/gpu.yml", "services: {}\n");
        ComposeFiles found = read(new ComposeFilesFact(List.of(extra.toString(), root + "/nope.yml"), List.of(root + "/opt", root + "/none"), 3));
        List<String> paths = found.files().stream().map(ComposeFile::path).toList();
        assertEquals(List.of(extra.toString(), root + "/opt/a/b/compose.yml", root + "/opt/my dir/compose.yaml", root + "/opt/ollama/compose.yaml",
                root + "/opt/vllm/compose.gpu.yaml", root + "/opt/vllm/docker-compose.override.yml", root + "/opt/vllm/docker-compose.yml"), paths);
        ComposeFile vllm = found.files().get(6);
        assertEquals(tricky, vllm.text());
        assertEquals(Map.of("PORT", "1"), vllm.env());
        assertEquals(List.of(root + "/nope.yml"), found.missing());
    }

    @Test
    void searchesFourLevelsDeepByDefaultDepth() throws Exception {
        file("home/u/projects/app/compose.yml", "services: {}\n");
        file("home/u/projects/app/x/compose.yml", "too deep\n");
        ComposeFiles found = read(new ComposeFilesFact(List.of(), List.of(root + "/home"), 4), noDocker());
        assertEquals(List.of(root + "/home/u/projects/app/compose.yml"), found.files().stream().map(ComposeFile::path).toList());
    }

    /** A PATH with the tools the script needs and no docker: the label lookup adds nothing. */
    private Map<String, String> noDocker() throws Exception {
        Path bin = Files.createDirectories(root.resolve("nodocker"));
        for (String tool : List.of("find", "sort", "readlink", "wc", "tr", "head")) {
            LocalSh.Result w = LocalSh.run("command -v " + tool, null, null, Map.of());
            Path shim = bin.resolve(tool);
            Files.writeString(shim, "#!/bin/sh\nexec " + w.text().strip() + " \"$@\"\n");
            Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return Map.of("PATH", bin.toString());
    }

    /** A fake docker on PATH: ps lists three ids, inspect prints the given label lines whatever the template. */
    private Map<String, String> fakeDocker(String inspectLines) throws Exception {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.writeString(root.resolve("inspect"), inspectLines);
        Path d = bin.resolve("docker");
        Files.writeString(d, "#!/bin/sh\ncase \"$1\" in\n  ps) printf 'c1\\nc2\\nc3\\n';;\n  inspect) cat " + root.resolve("inspect") + ";;\nesac\n");
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        return Map.of("PATH", bin + ":" + System.getenv("PATH"));
    }

    @Test
    void readsTheFilesContainersWereCreatedFromWhereverTheyLive() throws Exception {
        Path vllm = file("x/vllm.yml", "services: {}\n");
        file("x/.env", "HOST_IP=0.0.0.0\n");
        file("v1/proj/app/compose.yml", "services: {}\n");
        file("v1/proj/app/gpu.yml", "services: {}\n");
        file("v1/proj/other/extra.yml", "services: {}\n");
        file("base/only.yml", "services: {}\n");
        Path searched = file("opt/app/compose.yaml", "services: {}\n");
        Files.createDirectories(root.resolve("wd"));
        String tab = "\t";
        String lines = "\n"                                                                  // a container without labels
                + root + "/x" + tab + vllm + "," + root + "/x/gone.yml\n"                     // v2: absolute; a missing one is skipped
                + root + "/v1/proj/app" + tab + "app/compose.yml,app/gpu.yml,other/extra.yml\n" // v1 -f app/compose.yml run from v1/proj
                + root + "/base" + tab + "../elsewhere/only.yml\n"                             // unresolvable: base name in the working dir
                + root + "/opt/app" + tab + searched + "\n"                                    // also found by the search: read once
                + "relative/wd" + tab + "compose.yml\n"                                        // no absolute working dir: nothing to resolve
                + root + "/wd" + tab + "\n";                                                    // working dir, no files
        ComposeFiles found = read(new ComposeFilesFact(List.of(), List.of(root + "/opt"), 4), fakeDocker(lines));
        assertEquals(List.of(root + "/base/only.yml", searched.toString(), root + "/v1/proj/app/compose.yml", root + "/v1/proj/app/gpu.yml",
                root + "/v1/proj/other/extra.yml", vllm.toString()), found.files().stream().map(ComposeFile::path).toList());
        assertEquals(Map.of("HOST_IP", "0.0.0.0"), found.files().get(5).env());
        assertEquals(List.of(), found.missing(), "label files that are gone are not reported as missing");
    }

    @Test
    void labelsAreNotReadWithoutASearch() throws Exception {
        Path vllm = file("x/vllm.yml", "services: {}\n");
        Path given = file("g/compose.yml", "services: {}\n");
        ComposeFiles found = read(new ComposeFilesFact(List.of(given.toString()), List.of(), 4), fakeDocker(root + "/x\t" + vllm + "\n"));
        assertEquals(List.of(given.toString()), found.files().stream().map(ComposeFile::path).toList());
    }

    @Test
    void symlinksAreReadOnceByRealPath() throws Exception {
        Path real = file("opt/app/compose.yaml", "services: {}\n");
        Files.createDirectories(root.resolve("srv"));
        Files.createSymbolicLink(root.resolve("srv/app"), real.getParent());
        ComposeFiles found = read(new ComposeFilesFact(List.of(root + "/srv/app/compose.yaml"), List.of(root + "/opt"), 3));
        assertEquals(1, found.files().size());
        assertEquals(root + "/srv/app/compose.yaml", found.files().get(0).path());
        assertEquals(real.toRealPath().toString(), found.files().get(0).realPath());
    }

    @Test
    void notUtf8IsReportedAndCutOutputFails() throws Exception {
        byte[] bad = "F\t3\t/x/compose.yml\t/x/compose.yml\n\u00ff\u00fe\u00fd".getBytes(StandardCharsets.ISO_8859_1);
        ComposeFiles f = ComposeFilesFact.parse(bad);
        assertEquals(0, f.files().size());
        assertTrue(f.errors().get(0).contains("not UTF-8"));
        assertThrows(TaskException.class, () -> ComposeFilesFact.parse("F\t30\t/x\t/x\nshort".getBytes(StandardCharsets.UTF_8)));
        assertThrows(TaskException.class, () -> ComposeFilesFact.parse("garbage\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aFileOverTheCapIsNeverSentAndFailsTheTaskNamingFileAndCap() throws Exception {
        Path small = file("opt/a/compose.yml", "services: {}\n");
        Path huge = root.resolve("opt/b/compose.yml");
        Files.createDirectories(huge.getParent());
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(ComposeFilesFact.MAX_BYTES + 1L);
        }
        file("opt/c/compose.yml", "services: {}\n");
        Path env = root.resolve("opt/c/.env");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(env.toFile(), "rw")) {
            f.setLength(64L * 1024 * 1024);
        }
        LocalSh.Result r = LocalSh.run(new ComposeFilesFact(List.of(small.toString()), List.of(root + "/opt"), 3).script(), null, null, Map.of());
        assertEquals(0, r.rc(), r.err());
        assertTrue(r.out().length < 4096, "the big files were not sent: " + r.out().length + " bytes");
        TaskException e = assertThrows(TaskException.class, () -> ComposeFilesFact.parse(r.out()));
        assertEquals("compose_ports: " + huge + " is 1048577 bytes; " + env + " is 67108864 bytes, over the 1 MiB moat reads"
                + " of a compose or .env file; nothing was changed", e.getMessage());
        // A host that ignores the script and sends a big file anyway is refused the same way.
        byte[] sent = ("F\t2000000\t/x/compose.yml\t/x/compose.yml\n" + "a".repeat(2_000_000)).getBytes(StandardCharsets.UTF_8);
        assertTrue(assertThrows(TaskException.class, () -> ComposeFilesFact.parse(sent)).getMessage()
                .startsWith("compose_ports: /x/compose.yml is 2000000 bytes, over the 1 MiB"));
    }
}
