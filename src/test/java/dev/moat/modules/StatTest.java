package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.module.ArgException;
import dev.moat.module.FactKeys;
import dev.moat.module.FactOutput;
import dev.moat.module.Plan;
import dev.moat.module.TaskException;

/** The stat module's arguments, its read's key, parsing of fixed outputs, and its plan. */
class StatTest {
    private final Stat stat = new Stat();

    @TempDir
    Path dir;

    private Stat.StatArgs bind(Map<String, ?> raw) throws ArgException {
        return LocalHost.bind(stat, raw);
    }

    private static FactOutput out(String text) {
        return new FactOutput(0, text.getBytes(), new byte[0]);
    }

    /** A stat of a plain file as the read prints it, with {@code extra} tagged lines. */
    private static final String FILE = "81a4 0 0 6 1097736 65024 1 1700000000.000000001 1700000000.500000000 1700000001.250000000 8 4096 0 0\n"
            + "root\nroot\naccess rw\n";

    @Test
    void argumentsAndTheirAliasesAndAnsiblesDefaults() throws Exception {
        assertEquals(new Stat.StatArgs("/etc/motd", false, "sha1", true, true), bind(Map.of("path", "/etc/motd")));
        assertEquals(new Stat.StatArgs("/etc/motd", true, "md5", false, false),
                bind(Map.of("dest", "/etc/motd", "follow", "yes", "checksum", "md5", "mime", false, "attr", "no")));
        assertEquals(new Stat.StatArgs("/etc/", false, "sha512", false, false),
                bind(Map.of("name", "/etc/", "checksum_algo", "sha512", "mime-type", false, "attributes", false)));
        assertEquals(new Stat.StatArgs("/x", false, null, false, true),
                bind(Map.of("path", "/x", "get_checksum", false, "checksum_algorithm", "sha256", "mime_type", false)));
        assertThrows(ArgException.class, () -> bind(Map.of("path", "/x", "checksum_algorithm", "crc32")));
        assertThrows(ArgException.class, () -> bind(Map.of("path", "relative/x")));
        assertThrows(ArgException.class, () -> bind(Map.of()));
    }

    @Test
    void theReadIsKeyedByItsOptionsAndGoesStaleWhenItsPathIsTouched() throws Exception {
        String plain = Stat.read(bind(Map.of("path", "/etc/motd"))).key();
        String followed = Stat.read(bind(Map.of("path", "/etc/motd", "follow", true))).key();
        String sha256 = Stat.read(bind(Map.of("path", "/etc/motd", "checksum_algorithm", "sha256"))).key();
        assertEquals("stat+sha1+mime+attr:/etc/motd", plain);
        assertEquals(3, java.util.Set.of(plain, followed, sha256).size(), "different reads, different keys");
        assertTrue(FactKeys.invalidates("file:/etc/motd", plain), "a task that rewrites the file");
        assertTrue(FactKeys.invalidates("file:/etc", followed), "a task that replaces a directory above it");
        assertFalse(FactKeys.invalidates("file:/etc/motd.d", sha256));
        assertFalse(FactKeys.invalidates("pkg:motd", plain));
    }

    @Test
    void parsesARegularFileTheWayAnsibleReportsIt() throws Exception {
        Stat.Read read = Stat.read(bind(Map.of("path", "/etc/motd")));
        Map<String, Object> st = read.parse(out(FILE + "checksum f572d396fae9206628714fb2ce00f72e94f2258f\n"
                + "mime /etc/motd: text/plain; charset=us-ascii\nattr 2799816812 ----i---------e------- /etc/motd\n"));
        assertEquals(true, st.get("exists"));
        assertEquals("/etc/motd", st.get("path"));
        assertEquals("0644", st.get("mode"));
        assertEquals(true, st.get("isreg"));
        assertEquals(false, st.get("isdir"));
        assertEquals(6L, st.get("size"));
        assertEquals(1700000000.5, st.get("mtime"));
        assertEquals(1700000001.25, st.get("ctime"));
        assertEquals(1700000000 + 1e-9, st.get("atime"));
        assertEquals(true, st.get("rusr"));
        assertEquals(false, st.get("xoth"));
        assertEquals(true, st.get("writeable"));
        assertEquals(false, st.get("executable"));
        assertEquals("root", st.get("pw_name"));
        assertEquals("f572d396fae9206628714fb2ce00f72e94f2258f", st.get("checksum"));
        assertEquals("text/plain", st.get("mimetype"));
        assertEquals("us-ascii", st.get("charset"));
        assertEquals("2799816812", st.get("version"));
        assertEquals("ie", st.get("attr_flags"));
        assertEquals(List.of("immutable", "extents"), st.get("attributes"));
        assertFalse(st.containsKey("lnk_source"));
    }

    @Test
    void whatTheToolsCouldNotTellIsUnknownAsInAnsible() throws Exception {
        Stat.Read read = Stat.read(bind(Map.of("path", "/x")));
        Map<String, Object> st = read.parse(out(FILE.replace("root\nroot\n", "UNKNOWN\nstaff\n")));
        assertFalse(st.containsKey("pw_name"), "a uid with no name has no pw_name");
        assertEquals("staff", st.get("gr_name"));
        assertFalse(st.containsKey("checksum"));
        assertEquals("unknown", st.get("mimetype"));
        assertEquals("unknown", st.get("charset"));
        assertNull(st.get("version"));
        assertTrue(st.containsKey("version"));
        assertEquals(List.of(), st.get("attributes"));
        assertEquals("", st.get("attr_flags"));
        Map<String, Object> odd = read.parse(out(FILE + "mime /x: cannot open `/x' (No such file or directory)\n"));
        assertEquals("unknown", odd.get("mimetype"), "output that is not TYPE; charset=... is unknown");
    }

    @Test
    void optionsNotAskedForLeaveTheirKeysOut() throws Exception {
        Stat.Read read = Stat.read(bind(Map.of("path", "/x", "get_mime", false, "get_attributes", false)));
        Map<String, Object> st = read.parse(out(FILE));
        for (String k : List.of("mimetype", "charset", "version", "attributes", "attr_flags")) assertFalse(st.containsKey(k), k);
        assertFalse(read.script().contains("lsattr") || read.script().contains("file --mime"));
        assertFalse(Stat.read(bind(Map.of("path", "/x", "get_checksum", false))).script().contains("sum <"));
    }

    @Test
    void aMissingPathDoesNotExistAndOtherErrorsFailTheTask() throws Exception {
        Stat.Read read = Stat.read(bind(Map.of("path", "/x/y")));
        assertEquals(Map.of("exists", false), read.parse(out("absent\n")));
        TaskException e = assertThrows(TaskException.class,
                () -> read.parse(out("error stat: cannot statx '/x/y': Not a directory\n")));
        assertEquals("cannot stat /x/y: Not a directory", e.getMessage());
        assertThrows(TaskException.class, () -> read.parse(out("81a4 0 0\nroot\nroot\n")), "a cut stat line");
        assertThrows(TaskException.class, () -> read.parse(out(FILE + "surprise\n")), "an unknown line");
    }

    @Test
    void linksReportTheirTargetAndWhereTheyLead() throws Exception {
        Stat.Read read = Stat.read(bind(Map.of("path", "/etc/alt")));
        Map<String, Object> st = read.parse(out(FILE.replace("81a4", "a1ff") + "target ../usr/alt\nreal /usr/alt\n"));
        assertEquals(true, st.get("islnk"));
        assertEquals(false, st.get("isreg"));
        assertEquals("0777", st.get("mode"));
        assertEquals("../usr/alt", st.get("lnk_target"));
        assertEquals("/usr/alt", st.get("lnk_source"));
    }

    @Test
    void deviceNumbersAreGlibcs() {
        assertEquals(259L, Stat.Read.makedev(1, 3), "/dev/null");
        assertEquals(66305L, Stat.Read.makedev(259, 1));
        assertEquals(0x100000100000L, Stat.Read.makedev(0x1000, 0x100), "the high bits of major and minor");
    }

    @Test
    void neverChangesAnythingInCheckModeOrNot() throws Exception {
        Stat.StatArgs args = bind(Map.of("path", "/etc/motd"));
        FakeFacts facts = new FakeFacts().put(Stat.read(args).key(), "absent\n");
        for (FakeContext ctx : List.of(FakeContext.apply(), FakeContext.checkMode())) {
            Plan p = stat.plan(args, facts, ctx);
            assertFalse(p.changes());
            assertTrue(p.undo().isEmpty());
            assertEquals(Map.of("stat", Map.of("exists", false)), p.result());
        }
    }

    @Test
    void theReadRunsInsideABatchWithoutEndingItOrReadingStdin() throws Exception {
        Path f = Files.writeString(dir.resolve("it's a file"), "x\n");
        Path fifo = dir.resolve("fifo");
        assertEquals(0, LocalHost.sh("mkfifo '" + fifo + "'", null).rc());
        List<Stat.Read> reads = List.of(Stat.read(bind(Map.of("path", f.toString()))),
                Stat.read(bind(Map.of("path", fifo.toString(), "follow", true))),
                Stat.read(bind(Map.of("path", dir.resolve("missing").toString()))),
                Stat.read(bind(Map.of("path", f + "/sub"))));
        StringBuilder batch = new StringBuilder();
        for (Stat.Read r : reads) batch.append("{\n").append(r.script()).append("\n}\necho \"rc $?\"\n");
        batch.append("echo end\n");
        String text = LocalHost.sh(batch.toString(), "stdin must stay unread\n".getBytes()).text();
        assertTrue(text.endsWith("end\n"), text);
        assertEquals(4, text.split("rc 0\n", -1).length - 1, "every read exits 0: " + text);
        assertFalse(text.contains("stdin must stay unread"));
    }
}
