package dev.moat.journal;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/** The rollback's recreate, run for real with the local sh and a fake v1 docker-compose that records how it was called. */
class ComposeControlTest {
    @TempDir Path tmp;

    private String run(Undo.RecreateCompose c) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.writeString(bin.resolve("docker"), "#!/bin/sh\nexit 1\n"); // no v2 plugin
        Files.writeString(bin.resolve("docker-compose"), "#!/bin/sh\necho \"$(pwd) $*\" >> '" + tmp.resolve("calls") + "'\n");
        bin.resolve("docker").toFile().setExecutable(true);
        bin.resolve("docker-compose").toFile().setExecutable(true);
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", ComposeControl.recreate(c)).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return Files.readString(tmp.resolve("calls"));
    }

    @Test
    void recreatesAsTheSameProjectFromTheSameDirectoryAndFiles() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("srv"));
        String calls = run(new Undo.RecreateCompose("/data/stack/vllm.yml", List.of("extra"), "extra", dir.toString(),
                List.of("/data/stack/vllm.yml", "/data/stack/gpu.yml"), List.of("idle")));
        assertEquals(dir + " -f /data/stack/vllm.yml -f /data/stack/gpu.yml -p extra up -d --no-deps --force-recreate extra\n"
                + dir + " -f /data/stack/vllm.yml -f /data/stack/gpu.yml -p extra up --no-start --no-deps --force-recreate idle\n", calls);
    }

    @Test
    void anOlderRecordRecreatesFromTheFilesDirectory() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("opt/ai"));
        String calls = run(new Undo.RecreateCompose(dir.resolve("docker-compose.yml").toString(), List.of("vllm")));
        assertEquals(dir + " -f " + dir.resolve("docker-compose.yml") + " up -d --no-deps --force-recreate vllm\n", calls);
    }
}
