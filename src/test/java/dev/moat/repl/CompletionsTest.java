package dev.moat.repl;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.modules.Modules;
import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Transport;

class CompletionsTest {
    /** A host whose directories are listed from a map, recording each script it is asked to run. */
    static final class FakeHost implements Transport {
        final Map<String, String> dirs;
        final List<String> scripts = new ArrayList<>();

        FakeHost(Map<String, String> dirs) {
            this.dirs = dirs;
        }

        @Override public String host() { return "h1"; }

        @Override
        public ExecResult exec(Command c) {
            scripts.add(c.script());
            for (Map.Entry<String, String> e : dirs.entrySet()) {
                if (c.script().equals("ls -1Ap -- " + dev.moat.transport.Sh.q(e.getKey()) + " 2>/dev/null")) {
                    return new ExecResult(0, e.getValue().getBytes(StandardCharsets.UTF_8), new byte[0]);
                }
            }
            return new ExecResult(2, new byte[0], new byte[0]);
        }

        @Override public void close() {}
    }

    private final FakeHost host = new FakeHost(Map.of(
            "/", "bin/\netc/\nhome/\n.hidden\n",
            "/etc/", "./\n../\nmotd\nmoat/\nnginx/\nhostname\n.pwd.lock\n",
            "/etc/my dir/", "a file\n"));
    private final RemotePaths paths = new RemotePaths(host, false);
    private final Completions c = new Completions(Modules.builtin(), paths);

    private List<String> values(String line) {
        List<String> words = new ArrayList<>(Arrays.asList(line.split(" ", -1)));
        List<String> out = new ArrayList<>();
        for (Completions.Candidate k : c.candidates(words, words.size() - 1, words.get(words.size() - 1))) out.add(k.value());
        return out;
    }

    @Test
    void moduleNamesAndCommandsAtTheStart() {
        List<String> co = values("co");
        assertTrue(co.containsAll(List.of("copy", "command")), co.toString());
        assertTrue(co.stream().allMatch(m -> m.startsWith("co")), co.toString());
        assertEquals(List.of("copy"), values("cop"));
        assertEquals(List.of("ufw", "ufw_docker"), values("uf"));
        assertTrue(values("").containsAll(List.of("copy", "apt", ":undo", ":facts")));
        assertEquals(List.of(":check"), values(":ch"));
        assertEquals(List.of(":diff", ":drift"), values(":d"));
        assertEquals(List.of(), values("!ls"));
    }

    @Test
    void argumentNamesOfTheModuleNotYetGiven() {
        List<String> v = values("copy dest=/tmp/x ");
        assertTrue(v.contains("content="), v.toString());
        assertFalse(v.contains("dest="), "dest is given already");
        assertEquals(List.of("mode="), values("copy mo"));
        assertEquals(List.of("dest="), values("copy d"));
        List<Completions.Candidate> k = c.candidates(List.of("copy", "cont"), 1, "cont");
        assertEquals(List.of(new Completions.Candidate("content=", false)), k, "no space after key=");
        assertEquals(List.of(), values("nosuchmodule d"));
    }

    @Test
    void valuesWhereKnown() {
        assertEquals(List.of("state=file", "state=directory", "state=absent", "state=touch", "state=link"), values("file path=/x state="));
        assertEquals(List.of("state=absent"), values("apt name=nginx state=ab"));
        assertEquals(List.of("backup=true", "backup=false"), values("copy backup="));
        assertEquals(List.of("on", "off"), values(":check "));
        assertEquals(List.of("copy"), values(":help cop"));
    }

    @Test
    void remotePathsListedOncePerDirectory() {
        assertEquals(List.of("dest=/etc/motd", "dest=/etc/moat/"), values("copy dest=/etc/mo"));
        List<Completions.Candidate> k = c.candidates(List.of("copy", "dest=/etc/mo"), 1, "dest=/etc/mo");
        assertTrue(k.contains(new Completions.Candidate("dest=/etc/moat/", false)), "a directory: keep typing");
        assertTrue(k.contains(new Completions.Candidate("dest=/etc/motd", true)));
        assertEquals(List.of("/etc/nginx/"), values("!ls /etc/n"));
        assertEquals(List.of("/etc/.pwd.lock"), values("!cat /etc/."), "hidden entries once a dot is typed");
        assertEquals(List.of("/bin/", "/etc/", "/home/"), values("command ls /"));
        assertEquals(List.of("/etc/my dir/a file"),
                c.candidates(List.of("!cat", "/etc/my dir/a"), 1, "/etc/my dir/a").stream().map(Completions.Candidate::value).toList(),
                "a quoted word with a space");
        long etc = host.scripts.stream().filter(s -> s.contains("'/etc/'") || s.contains(" /etc/ ")).count();
        assertEquals(1, etc, "one listing of /etc/ for all completions: " + host.scripts);
        paths.clear();
        values("!ls /etc/n");
        assertEquals(etc + 1, host.scripts.stream().filter(s -> s.contains("/etc/ ")).count(), "listed again after a command");
    }

    @Test
    void aFailingListingOffersNothingAndIsNotCached() {
        assertEquals(List.of(), values("!ls /nope/x"));
        assertEquals(List.of(), values("!ls /nope/y"));
        assertEquals(2, host.scripts.stream().filter(s -> s.contains("/nope/")).count(), "asked again: a failure is not kept");
        assertEquals(0, paths.cached());
    }
}
