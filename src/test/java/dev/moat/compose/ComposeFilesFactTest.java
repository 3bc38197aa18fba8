package dev.moat.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moat.engine.TaskException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        LocalSh.Result r = LocalSh.run(fact.script(), null, null, Map.of());
        assertEquals(0, r.rc(), r.err());
        return ComposeFilesFact.parse(r.out());
    }

    @Test
    void findsComposeNamesWithinDepthAndReadsEnvBeside() throws Exception {
        String tricky = "services:\n  a:\n    ports: [\"8000:8000\"]\nF\t99\t/etc/passwd\t/etc/passwd\n# no trailing newline";
        file("opt/vllm/docker-compose.yml", tricky);
        file("opt/vllm/.env", "PORT=1\n");
        file("opt/vllm/docker-compose.override.yml", "services: {}\n");
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
                root + "/opt/vllm/docker-compose.override.yml", root + "/opt/vllm/docker-compose.yml"), paths);
        ComposeFile vllm = found.files().get(5);
        assertEquals(tricky, vllm.text());
        assertEquals(Map.of("PORT", "1"), vllm.env());
        assertEquals(List.of(root + "/nope.yml"), found.missing());
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
}
