package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.compose.ComposeSearch;
import dev.moat.facts.AptAvailableFact;
import dev.moat.facts.FileFact;
import dev.moat.facts.PackageFact;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;

class FactBatchTest {
    record Raw(String key, String script) implements Fact<String> {
        @Override
        public String parse(FactOutput out) {
            return out.text();
        }
    }

    private static byte[] runSh(String script) throws Exception {
        return runSh(script, null);
    }

    private static byte[] runSh(String script, String path) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).redirectErrorStream(false);
        if (path != null) pb.environment().put("PATH", path + ":" + System.getenv("PATH"));
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), new String(p.getErrorStream().readAllBytes()));
        return out;
    }

    @Test
    void framesArbitraryOutputExactly() throws Exception {
        List<Raw> facts = List.of(
                new Raw("a", "printf 'no newline'"),
                new Raw("b", "printf '@@moat 9 9 9 9\\n\\000\\001'; echo err >&2; exit 3"),
                new Raw("c", "cat"),  // stdin is closed: must not hang or read the script
                new Raw("d", "printf ''"));
        Map<String, FactOutput> out = FactBatch.parse(facts, runSh(FactBatch.script(facts)));
        assertEquals("no newline", out.get("a").text());
        assertEquals(0, out.get("a").rc());
        assertArrayEquals("@@moat 9 9 9 9\n\0\1".getBytes(StandardCharsets.ISO_8859_1), out.get("b").stdout());
        assertEquals("err\n", out.get("b").errText());
        assertEquals(3, out.get("b").rc());
        assertEquals("", out.get("c").text());
        assertEquals(0, out.get("d").stdout().length);
    }

    @Test
    void aFactThatExitsDoesNotEndTheBatch() throws Exception {
        List<Raw> facts = List.of(new Raw("x", "exit 5"), new Raw("y", "echo after"));
        Map<String, FactOutput> out = FactBatch.parse(facts, runSh(FactBatch.script(facts)));
        assertEquals(5, out.get("x").rc());
        assertEquals("after\n", out.get("y").text());
    }

    @Test
    void truncatedOutputIsAnError() {
        List<Raw> facts = List.of(new Raw("x", "true"));
        assertThrows(TaskException.class, () -> FactBatch.parse(facts, "@@moat 1\n0\n10 /t/0o\n0 /t/0e\n10 total\nabc".getBytes()));
        assertThrows(TaskException.class, () -> FactBatch.parse(facts, "@@moat 1\n0\n3 /t/0o\n".getBytes()));
        assertThrows(TaskException.class, () -> FactBatch.parse(facts, "@@moat 2\n0 0\n".getBytes()));
        assertThrows(TaskException.class, () -> FactBatch.parse(facts, "garbage\n".getBytes()));
        assertThrows(TaskException.class, () -> FactBatch.parse(facts, new byte[0]));
    }

    @Test
    void spawnsOneProcessPerFactAndThreePerBatch() throws Exception {
        // The framing's own cost on the host: a subshell per fact, then mktemp, wc and cat once.
        String script = FactBatch.script(List.of(new Raw("a", "true"), new Raw("b", "true"), new Raw("c", "true")));
        assertEquals(1, script.split("\nwc -c ", -1).length - 1, script);
        assertEquals(1, script.split("\ncat ", -1).length - 1, script);
        assertFalse(script.contains("$(wc"), script);
        Map<String, FactOutput> out = FactBatch.parse(List.of(new Raw("a", "true")), runSh(FactBatch.script(List.of(new Raw("a", "echo x")))));
        assertEquals("x\n", out.get("a").text());
    }

    @Test
    void distinctKeepsFirstByKey() {
        List<Fact<?>> d = FactBatch.distinct(List.of(new Raw("a", "1"), new Raw("b", "2"), new Raw("a", "3")));
        assertEquals(2, d.size());
        assertEquals("1", ((Raw) d.get(0)).script());
    }

    /** Real files of every kind the merged read handles or hands back, with the names and bytes that could break a framing. */
    private static List<Fact<?>> pathFacts(Path d) throws Exception {
        Files.write(d.resolve("bin"), new byte[] {'@', '@', 'm', ' ', 0, '\n', 1, (byte) 0xff, '\n'});
        Files.writeString(d.resolve("text | with spaces"), "line one\n@@moat 3\nlast without newline");
        Files.writeString(d.resolve("empty"), "");
        Files.writeString(d.resolve("new\nline"), "named with a newline\n");
        Files.createDirectory(d.resolve("dir"));
        Files.setPosixFilePermissions(d.resolve("dir"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(d.resolve("link"), d.resolve("bin"));
        Files.createSymbolicLink(d.resolve("dangling"), d.resolve("nowhere"));
        Process mk = new ProcessBuilder("mkfifo", d.resolve("fifo").toString()).start();
        assertEquals(0, mk.waitFor());
        List<Fact<?>> facts = new ArrayList<>();
        facts.add(new Raw("before", "echo plain"));
        for (String n : List.of("bin", "text | with spaces", "empty", "new\nline", "dir", "link", "dangling", "fifo", "absent")) {
            facts.add(new FileFact(d.resolve(n).toString()));
        }
        facts.add(new FileFact("/proc/version"));  // size 0 to stat: always its own script
        facts.add(new Raw("after", "echo after; exit 2"));
        return facts;
    }

    /** Each fact's own script run alone: what the merged read must reproduce byte for byte. */
    private static void assertSameAsAlone(List<Fact<?>> facts, Map<String, FactOutput> out) throws Exception {
        for (Fact<?> f : facts) {
            Map<String, FactOutput> alone = FactBatch.parse(List.of(new Raw(f.key(), f.script())), runSh(FactBatch.script(List.of(new Raw(f.key(), f.script())))));
            FactOutput a = alone.get(f.key());
            FactOutput b = out.get(f.key());
            assertArrayEquals(a.stdout(), b.stdout(), f.key() + ": merged '" + b.text() + "' alone '" + a.text() + "'");
            assertArrayEquals(a.stderr(), b.stderr(), f.key());
            assertEquals(a.rc(), b.rc(), f.key());
            assertEquals(String.valueOf(f.parse(a)), String.valueOf(f.parse(b)), f.key());
        }
    }

    @Test
    void pathReadsAreMergedIntoOneStatAndOneCatWithTheSameAnswers(@TempDir Path d) throws Exception {
        List<Fact<?>> facts = pathFacts(d);
        String script = FactBatch.script(facts);
        // One stat (and one to prove nothing changed), one cat for all the files; no subshell per merged fact unless needed.
        assertEquals(2, script.split("\\[ \\$# = 0 \\] \\|\\| (\\{ )?stat ", -1).length - 1, script);
        byte[] raw = runSh(script);
        assertEquals(4, new String(raw, StandardCharsets.ISO_8859_1).split("@@m file ", -1).length - 1, "bin, text, empty, new-line merged");
        Map<String, FactOutput> out = FactBatch.parse(facts, raw);
        assertSameAsAlone(facts, out);
        assertEquals("file", new String(out.get("file:" + d.resolve("bin")).stdout(), StandardCharsets.ISO_8859_1).substring(0, 4));
        assertEquals("absent\n", out.get("file:" + d.resolve("absent")).text());
        assertEquals("after\n", out.get("after").text());
        assertEquals(2, out.get("after").rc());
    }

    @Test
    void aPathThatChangesWhileReadIsReadAgainByItsOwnScript(@TempDir Path d) throws Exception {
        List<Fact<?>> facts = pathFacts(d);
        // A stat that answers differently the second time: what a file written between the two stats looks like.
        Path bin = Files.createDirectory(d.resolve("fakebin"));
        Path stat = bin.resolve("stat");
        Files.writeString(stat, "#!/bin/sh\nc=" + d.resolve("count") + "\nif [ -e \"$c\" ]; then /usr/bin/stat \"$@\" | sed 's/|/|9/'; "
                + "else : >\"$c\"; exec /usr/bin/stat \"$@\"; fi\n");
        Files.setPosixFilePermissions(stat, PosixFilePermissions.fromString("rwxr-xr-x"));
        String script = FactBatch.script(facts);
        byte[] raw = runSh(script, bin.toString());
        Map<String, FactOutput> out = FactBatch.parse(facts, raw);
        assertSameAsAlone(facts, out);
        assertFalse(new String(raw, StandardCharsets.ISO_8859_1).contains("@@m file"), "every merged fact read by its own script");
        assertTrue(Files.exists(d.resolve("count")), "the changing stat ran");
    }

    @Test
    void aMergedReadShorterThanItsStatIsAnError() {
        List<Fact<?>> facts = List.of(new FileFact("/etc/x"));
        byte[] out = "@@moat 1\n0\n26 /t/0o\n0 /t/0e\n3 /t/mc\n29 total\n@@m file 644 0 0 5 root root\nabc".getBytes(StandardCharsets.US_ASCII);
        TaskException e = assertThrows(TaskException.class, () -> FactBatch.parse(facts, out));
        assertTrue(e.getMessage().contains("/etc/x") || e.getMessage().contains("stat said"), e.getMessage());
    }

    /** A PATH directory whose {@code name} counts its calls in {@code count} and runs the real one. */
    private static Path counting(Path d, String name) throws Exception {
        Path bin = Files.createDirectories(d.resolve("countbin"));
        Path w = bin.resolve(name);
        String real = new String(new ProcessBuilder("sh", "-c", "command -v " + name).start().getInputStream().readAllBytes()).strip();
        Files.writeString(w, "#!/bin/sh\necho x >>" + d.resolve(name + ".count") + "\nexec " + real + " \"$@\"\n");
        Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private static long calls(Path d, String name) throws Exception {
        Path c = d.resolve(name + ".count");
        return Files.exists(c) ? Files.readAllLines(c).size() : 0;
    }

    @Test
    void aPackageReadTwiceInOneBatchRunsOneAwk(@TempDir Path d) throws Exception {
        // This machine's own dpkg status file: dpkg is installed, the other name is not a package.
        List<Fact<?>> facts = List.of(new PackageFact("dpkg"), new AptAvailableFact("dpkg"),
                new PackageFact("moat-no-such-package"), new AptAvailableFact("moat-no-such-package"));
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/var/lib/dpkg/status")));
        Path bin = counting(d, "awk");
        Map<String, FactOutput> out = FactBatch.parse(facts, runSh(FactBatch.script(facts), bin.toString()));
        // awk runs in PackageFact's script and in AptAvailableFact's for a package not installed (apt-cache's answer).
        long batched = calls(d, "awk");
        assertEquals("installed\n", out.get(facts.get(1).key()).text());
        assertTrue(out.get(facts.get(0).key()).text().contains(" installed|"), out.get(facts.get(0).key()).text());
        Files.delete(d.resolve("awk.count"));
        long alone = 0;
        for (Fact<?> f : facts) {
            Map<String, FactOutput> a = FactBatch.parse(List.of(f), runSh(FactBatch.script(List.of(f)), bin.toString()));
            assertArrayEquals(a.get(f.key()).stdout(), out.get(f.key()).stdout(), f.key());
            assertEquals(a.get(f.key()).rc(), out.get(f.key()).rc(), f.key());
        }
        alone = calls(d, "awk");
        assertEquals(alone - 2, batched, "one awk of the status file per package, not one per fact");
        // Outside a batch (no $moat_memo) the script reads the file itself.
        assertEquals(new String(runSh(new PackageFact("dpkg").script())), out.get(facts.get(0).key()).text());
    }

    @Test
    void aComposeSearchDoneTwiceInOneBatchRunsFindOnce(@TempDir Path d) throws Exception {
        Path srv = Files.createDirectories(d.resolve("srv/app"));
        Files.writeString(srv.resolve("compose.yml"), "services: {}\n");
        Files.writeString(srv.resolve("docker-compose.override.yaml"), "services: {}\n");
        Files.createDirectories(d.resolve("srv/other"));
        String search = new ComposeSearch(List.of(d.resolve("srv").toString(), d.resolve("nowhere").toString()), 4).script();
        List<Raw> facts = List.of(new Raw("first", search + " | sed 's/^/1 /'"), new Raw("second", "R=''\n" + search));
        Path bin = counting(d, "find");
        Map<String, FactOutput> out = FactBatch.parse(facts, runSh(FactBatch.script(facts), bin.toString()));
        assertEquals(1, calls(d, "find"), "the second search took the first's list");
        String expected = srv.resolve("compose.yml") + "\n" + srv.resolve("docker-compose.override.yaml") + "\n";
        assertEquals(expected, out.get("second").text());
        assertEquals(expected.replaceAll("(?m)^/", "1 /"), out.get("first").text());
        assertEquals(expected, new String(runSh(search, bin.toString())), "outside a batch, the same list");
        // Another search (other directories) is not taken for this one.
        String other = new ComposeSearch(List.of(d.resolve("srv/other").toString()), 4).script();
        List<Raw> two = List.of(new Raw("a", search), new Raw("b", other));
        Map<String, FactOutput> o2 = FactBatch.parse(two, runSh(FactBatch.script(two)));
        assertEquals(expected, o2.get("a").text());
        assertEquals("", o2.get("b").text());
    }
}
