package dev.moat.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** `docker run` lines in systemd units and scripts: read and rewritten in place. */
class DockerRunTest {
    static final String UNIT = "[Unit]\nDescription=Ollama\nAfter=docker.service\n\n[Service]\nRestart=always\n"
            + "ExecStartPre=-/usr/bin/docker rm -f ollama\n"
            + "ExecStart=/usr/bin/docker run --rm --name ollama --gpus=all \\\n  -v ollama:/root/.ollama \\\n  -p 0.0.0.0:11434:11434 ollama/ollama\n"
            + "ExecStop=/usr/bin/docker stop ollama\n\n[Install]\nWantedBy=multi-user.target\n";

    @Test
    void readsNameDetachAndPublishesUpToTheImage() {
        List<DockerRun> runs = DockerRun.find("/etc/systemd/system/ollama.service", UNIT);
        assertEquals(1, runs.size(), "docker rm and docker stop are no runs");
        DockerRun r = runs.get(0);
        assertEquals("ollama", r.name());
        assertFalse(r.detach());
        assertEquals("0.0.0.0:11434:11434", r.publishes().get(0).raw());
        DockerRun v = DockerRun.find("/usr/local/bin/vllm.sh",
                "#!/bin/sh\n# docker run -p 1:1 x\ndocker container run -dit -p8000:8000 --publish='[::]:8001:8001' --name=vllm vllm/vllm-openai --port 8000 -p 9\n").get(0);
        assertTrue(v.detach());
        assertEquals("vllm", v.name());
        assertEquals(List.of("8000:8000", "[::]:8001:8001"), v.publishes().stream().map(DockerRun.Publish::raw).toList(),
                "the program's own -p after the image is not a publish; a comment is no command");
    }

    @Test
    void patchRewritesOnlyThePublishText() {
        String after = DockerRun.patch("/etc/systemd/system/ollama.service", UNIT, "127.0.0.1", PortFilter.ALL);
        assertEquals(UNIT.replace("-p 0.0.0.0:11434:11434", "-p 127.0.0.1:11434:11434"), after);
        String s = "docker run -d -p8000:8000 --publish='[::]:8001:8001' -p 127.0.0.1:9:9 -p \"7860:7860/udp\" img\n";
        assertEquals("docker run -d -p127.0.0.1:8000:8000 --publish='[::1]:8001:8001' -p 127.0.0.1:9:9 -p 127.0.0.1:7860:7860/udp img\n",
                DockerRun.patch("/s", s, "127.0.0.1", PortFilter.ALL));
        assertEquals("docker run -d -p10.0.0.5:8000:8000  -p 127.0.0.1:9:9 -p 10.0.0.5:7860:7860/udp img\n",
                DockerRun.patch("/s", s, "10.0.0.5", PortFilter.ALL), "an IPv6 publish is dropped with its option for a LAN bind");
        assertEquals(after, DockerRun.patch("/x", after, "127.0.0.1", PortFilter.ALL), "a patched file is converged");
    }

    @Test
    void aVariableIsUnreadableAndLeftAsIs() {
        String s = "ExecStart=/usr/bin/docker run --name vllm -p ${PORT}:8000 -p \"$HOST:8001:8001\" vllm\n";
        DockerRun r = DockerRun.find("/u", s).get(0);
        assertEquals(2, r.unreadable().size());
        assertNull(r.publishes().get(0).spec());
        assertEquals(s, DockerRun.patch("/u", s, "127.0.0.1", PortFilter.ALL));
    }
}
