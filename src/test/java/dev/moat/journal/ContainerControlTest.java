package dev.moat.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replace and restore scripts run for real with the local sh, a fake docker that keeps
 * containers as files and a fake curl standing for the Engine API: the order of what they do to
 * the host, and that the old container comes back whenever the new one fails.
 */
class ContainerControlTest {
    @TempDir Path tmp;
    Path state;
    ServerSocketChannel socket;
    static final String OLD = "a".repeat(64);
    static final String WANT = "{\"8000/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"8000\"}]}";
    static final String ORIGINAL = "{\"8000/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8000\"}]}";

    /** docker: names/NAME holds an ID; ID/{running,bindings,live,name} describe a container. Every call goes to log. */
    static final String DOCKER = """
            #!/bin/sh
            S=$MOAT_FAKE; echo "docker $*" >> "$S/log"
            id_of() { if [ -f "$S/names/$1" ]; then cat "$S/names/$1"; elif [ -d "$S/c/$1" ]; then echo "$1"; else return 1; fi; }
            case "$1" in
              version) echo 1.51;;
              image) cat "$S/image";;
              container) shift 2; f=; [ "$1" = --format ] && { f=$2; shift 2; }; id=$(id_of "$1") || exit 1; c="$S/c/$id"
                case "$f" in
                  '{{.Id}}') echo "$id";;
                  '{{.Name}}') echo "/$(cat "$c/name")";;
                  '{{.State.Running}}') [ -f "$c/running" ] && echo true || echo false;;
                  '{{json .HostConfig.PortBindings}}') cat "$c/bindings";;
                  *NetworkSettings.Ports*) cat "$c/live";;
                  *) echo "{\\"Id\\":\\"$id\\"}";;
                esac;;
              stop) id=$(id_of "$2"); rm -f "$S/c/$id/running"
                if [ -f "$S/c/$id/autoremove" ]; then rm -f "$S/names/$(cat "$S/c/$id/name")"; rm -rf "$S/c/$id"; fi;;
              start) id=$(id_of "$2") || exit 1; [ -f "$S/c/$id/fails" ] && exit 1; touch "$S/c/$id/running";;
              rm) [ "$2" = -f ] && shift; id=$(id_of "$2") || exit 1; rm -f "$S/names/$(cat "$S/c/$id/name")"; rm -rf "$S/c/$id";;
              rename) id=$(id_of "$2") || exit 1; rm -f "$S/names/$(cat "$S/c/$id/name")"; echo "$3" > "$S/c/$id/name"; echo "$id" > "$S/names/$3";;
            esac
            """;
    /** curl: POST /containers/create?name=N with @BODY makes a container whose bindings are the body's "bindings" test field. */
    static final String CURL = """
            #!/bin/sh
            S=$MOAT_FAKE; out=; body=; url=
            while [ $# -gt 0 ]; do case "$1" in -o) out=$2; shift;; --data-binary) body=${2#@}; shift;; http*) url=$1;; esac; shift; done
            echo "curl $url $(cat "$body")" >> "$S/log"
            [ -f "$S/create-fails" ] && { echo '{"message":"no"}' > "$out"; printf 500; exit 0; }
            name=${url##*name=}; n=$(cat "$S/n" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$S/n"; id=$(printf 'b%063d' "$n")
            mkdir -p "$S/c/$id"; echo "$name" > "$S/c/$id/name"; echo "$id" > "$S/names/$name"
            sed -n 's/.*"bindings":\\(.*\\)}$/\\1/p' "$body" > "$S/c/$id/bindings"
            sed -n 's/.*"live":"\\([^"]*\\)".*/\\1/p' "$body" > "$S/c/$id/live"
            [ -f "$S/next-fails" ] && touch "$S/c/$id/fails"
            printf '{"Id":"%s","Warnings":[]}' "$id" > "$out"; printf 201
            """;

    @BeforeEach
    void host() throws Exception {
        state = Files.createDirectories(tmp.resolve("s"));
        Files.createDirectories(state.resolve("names"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.writeString(bin.resolve("docker"), DOCKER);
        Files.writeString(bin.resolve("curl"), CURL);
        bin.resolve("docker").toFile().setExecutable(true);
        bin.resolve("curl").toFile().setExecutable(true);
        Files.writeString(state.resolve("image"), "sha256:img\n");
        socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        socket.bind(UnixDomainSocketAddress.of(tmp.resolve("docker.sock")));
        container(OLD, "vllm", ORIGINAL, " 8000/tcp|0.0.0.0|8000 8000/tcp|::|8000", true);
    }

    @AfterEach
    void close() throws Exception {
        socket.close();
    }

    void container(String id, String name, String bindings, String live, boolean running) throws Exception {
        Path c = Files.createDirectories(state.resolve("c/" + id));
        Files.writeString(c.resolve("name"), name + "\n");
        Files.writeString(c.resolve("bindings"), bindings + "\n");
        Files.writeString(c.resolve("live"), live + "\n");
        if (running) Files.writeString(c.resolve("running"), "");
        Files.writeString(state.resolve("names/" + name), id + "\n");
    }

    record Run(int rc, String err) {}

    Run sh(String script, String stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script);
        pb.environment().put("PATH", tmp.resolve("bin") + ":" + System.getenv("PATH"));
        pb.environment().put("MOAT_FAKE", state.toString());
        pb.environment().put("DOCKER_HOST", "unix://" + tmp.resolve("docker.sock"));
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes());
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes());
        return new Run(p.waitFor(), err);
    }

    /** The scripts with moat's state directory under the test's directory. */
    String local(String script) {
        return script.replace(ContainerControl.DIR, tmp.resolve("containers").toString());
    }

    String forward() {
        return local(ContainerControl.replace("vllm", OLD, "vllm/vllm-openai", "sha256:img", true, WANT, "127.0.0.1", List.of("8000/tcp")));
    }

    static final String NEW_BODY = "{\"Image\":\"vllm/vllm-openai\",\"live\":\" 8000/tcp|127.0.0.1|8000\",\"bindings\":" + WANT + "}";
    static final String OLD_BODY = "{\"Image\":\"vllm/vllm-openai\",\"live\":\" 8000/tcp|0.0.0.0|8000\",\"bindings\":" + ORIGINAL + "}";

    List<String> log() throws Exception {
        return Files.readAllLines(state.resolve("log")).stream().filter(l -> !l.contains("inspect") && !l.startsWith("docker version")).toList();
    }

    @Test
    void createsFirstThenStopsStartsChecksRemovesAndRenames() throws Exception {
        assertEquals(0, sh(local(ContainerControl.saveOriginal("vllm", OLD)), OLD_BODY).rc());
        Run r = sh(forward(), NEW_BODY);
        assertEquals(0, r.rc(), r.err());
        String made = "b" + "0".repeat(62) + "1";
        assertEquals(List.of("curl http://localhost/v1.51/containers/create?name=vllm-moat-new " + NEW_BODY,
                "docker stop " + OLD, "docker start " + made, "docker rm " + OLD, "docker rename " + made + " vllm"), log());
        assertEquals(made + "\n", Files.readString(state.resolve("names/vllm")));
        assertEquals(OLD_BODY, Files.readString(tmp.resolve("containers/" + OLD + "/create.json")), "the original's body is kept for rollback");
    }

    @Test
    void aNewContainerThatFailsItsCheckGivesTheOldOneBack() throws Exception {
        sh(local(ContainerControl.saveOriginal("vllm", OLD)), OLD_BODY);
        Run r = sh(forward(), NEW_BODY.replace("127.0.0.1|8000", "0.0.0.0|8000"));
        assertEquals(1, r.rc());
        assertTrue(r.err().contains("vllm still publishes 0.0.0.0:8000->8000/tcp"), r.err());
        assertTrue(Files.exists(state.resolve("c/" + OLD + "/running")), "the old one runs again");
        assertEquals(OLD + "\n", Files.readString(state.resolve("names/vllm")));
        assertFalse(Files.exists(state.resolve("names/vllm-moat-new")), "the new one is removed");
    }

    @Test
    void anAutoRemovedOldOneIsMadeAgainFromItsBodyWhenTheNewOneFails() throws Exception {
        Files.writeString(state.resolve("c/" + OLD + "/autoremove"), "");
        sh(local(ContainerControl.saveOriginal("vllm", OLD)), OLD_BODY);
        Files.writeString(state.resolve("next-fails"), "");
        Run r = sh(forward(), NEW_BODY);
        assertEquals(1, r.rc());
        List<String> log = log();
        assertEquals("curl http://localhost/v1.51/containers/create?name=vllm " + OLD_BODY, log.get(log.size() - 2), log.toString());
    }

    @Test
    void nothingChangesWhenCreateFailsOrTheNameMoved() throws Exception {
        sh(local(ContainerControl.saveOriginal("vllm", OLD)), OLD_BODY);
        Files.writeString(state.resolve("create-fails"), "");
        Run r = sh(forward(), NEW_BODY);
        assertEquals(1, r.rc());
        assertTrue(r.err().contains("HTTP 500"), r.err());
        assertTrue(Files.exists(state.resolve("c/" + OLD + "/running")));
        Files.delete(state.resolve("create-fails"));
        Files.writeString(state.resolve("image"), "sha256:newer\n");
        r = sh(forward(), NEW_BODY);
        assertEquals(1, r.rc());
        assertTrue(r.err().contains("vllm/vllm-openai no longer names the image vllm runs"), r.err());
        assertFalse(log().stream().anyMatch(l -> l.startsWith("docker stop")));
    }

    @Test
    void restoreBringsTheOriginalBackWithItsBindings() throws Exception {
        Journal journal = new Journal(tmp.resolve("runs").toString());
        Undo.RecreateContainer u = new Undo.RecreateContainer("vllm", OLD, tmp.resolve("containers/" + OLD).toString());
        assertEquals(0, sh(journal.open("r1"), "").rc());
        Run snap = sh(journal.snapshot("r1", 1, u), "");
        assertEquals(0, snap.rc(), snap.err());
        assertEquals(ORIGINAL + "\n", Files.readString(tmp.resolve("runs/r1/1/bindings")));
        sh(local(ContainerControl.saveOriginal("vllm", OLD)), OLD_BODY);
        assertEquals(0, sh(forward(), NEW_BODY).rc());
        Files.delete(state.resolve("log"));
        Run back = sh(journal.restore("r1", 1, u), "");
        assertEquals(0, back.rc(), back.err());
        String moat = "b" + "0".repeat(62) + "1";
        String again = "b" + "0".repeat(62) + "2";
        List<String> log = log();
        assertEquals("curl http://localhost/v1.51/containers/create?name=vllm-moat-new " + OLD_BODY, log.get(0));
        assertEquals("docker stop " + moat, log.get(1));
        assertEquals(List.of("docker start " + again, "docker rm " + moat, "docker rename " + again + " vllm"), log.subList(2, 5));
        assertEquals(again, Files.readString(state.resolve("names/vllm")).strip());
        assertEquals(ORIGINAL, Files.readString(state.resolve("c/" + again + "/bindings")).strip(), "checked against the snapshot's bindings");
        assertTrue(Files.exists(state.resolve("c/" + again + "/running")));
    }

    @Test
    void restoreOfAChangeThatNeverReplacedItOnlyMakesSureItRuns() throws Exception {
        Journal journal = new Journal(tmp.resolve("runs").toString());
        Undo.RecreateContainer u = new Undo.RecreateContainer("vllm", OLD, tmp.resolve("containers/" + OLD).toString());
        sh(journal.open("r1"), "");
        sh(journal.snapshot("r1", 1, u), "");
        Files.delete(state.resolve("c/" + OLD + "/running"));
        Run back = sh(journal.restore("r1", 1, u), "");
        assertEquals(0, back.rc(), back.err());
        assertTrue(Files.exists(state.resolve("c/" + OLD + "/running")));
        assertFalse(log().stream().anyMatch(l -> l.startsWith("curl")));
    }
}
