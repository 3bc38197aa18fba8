package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.module.TaskException;

/**
 * moat's {@code stat} against Ansible's: {@code src/test/resources/stat/CASE.json} is what Ansible
 * 2.14's stat returned for sample paths ({@code ansible-stat.sh} there made them, as root); this
 * test recreates the same paths in a temporary directory, reads each with moat's stat read script
 * run by the local {@code sh}, and compares every key.
 *
 * <p>Compared by value: the key set, kind flags, mode and permission bits, owners (names and ids),
 * sizes of files, link targets, checksums, readable/writeable/executable, nlink, device_type,
 * mimetype/charset (both {@code unknown} without the {@code file} tool), a failure's message, and
 * {@code path} and {@code lnk_source} with the fixture's directory replaced by the test's.
 * Compared by type only, since they belong to the particular inode and filesystem: inode, dev,
 * atime/mtime/ctime, blocks, block_size, a directory's size, lsattr's attr_flags and attributes, and
 * its version (text, or null where lsattr fails). Inode, dev, mtime, ctime and size are checked by
 * value against Java's own reading of the same path instead.
 */
class StatAnsibleComparisonTest {
    private static final Path FIXTURES = Path.of("src/test/resources/stat");
    private static final Set<String> BY_TYPE = Set.of("inode", "dev", "atime", "mtime", "ctime", "blocks", "block_size",
            "attr_flags", "attributes");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    /** The sample paths of ansible-stat.sh, made the same way. */
    @BeforeAll
    static void samples() throws Exception {
        Path d = Files.createDirectory(dir.resolve("dir"));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        chmod(Files.writeString(dir.resolve("file.txt"), "hello\n"), "rw-r--r--");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("file.txt"));
        Files.createSymbolicLink(dir.resolve("dangling"), Path.of("missing-target"));
        Files.writeString(dir.resolve("setuid"), "#!/bin/sh\n");
        sh("chmod 4755 '" + dir.resolve("setuid") + "'");
        sh("mkfifo -m 0640 '" + dir.resolve("fifo") + "'");
        chmod(Files.writeString(dir.resolve("nobody.txt"), "secret\n"), "rw-------");
        sh("chown nobody:nogroup '" + dir.resolve("nobody.txt") + "'");
    }

    private static void chmod(Path p, String perms) throws Exception {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    }

    private static void sh(String script) {
        var r = LocalHost.sh(script, null);
        assertEquals(0, r.rc(), script + ": " + r.errText());
    }

    /** Every CASE.json but the playbook's registered.json (StatPlaybookTest's). */
    static List<String> cases() throws Exception {
        List<String> names = new ArrayList<>();
        try (var s = Files.list(FIXTURES)) {
            s.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".json") && !f.equals("registered.json"))
                    .sorted().forEach(f -> names.add(f.substring(0, f.length() - 5)));
        }
        assertTrue(names.size() >= 15, "the fixtures are there: " + names);
        return names;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void sameAsAnsible(String name) throws Exception {
        JsonNode fixture = JSON.readTree(FIXTURES.resolve(name + ".json").toFile());
        String base = fixture.get("base").asText();
        Map<String, Object> raw = args(fixture.get("case"), base);
        Stat.StatArgs args = LocalHost.bind(new Stat(), raw);
        Stat.Read read = Stat.read(args);
        if (fixture.get("failed").asBoolean()) {
            TaskException e = assertThrows(TaskException.class, () -> read.parse(LocalHost.read(read)));
            assertEquals("cannot stat " + args.path() + ": " + fixture.get("msg").asText(), e.getMessage());
            return;
        }
        JsonNode want = fixture.get("stat");
        JsonNode got = JSON.valueToTree(read.parse(LocalHost.read(read)));
        assertEquals(keys(want), keys(got), "the same keys as Ansible");
        boolean haveFile = LocalHost.sh("command -v file", null).rc() == 0;
        for (String k : keys(want)) {
            JsonNode w = want.get(k);
            JsonNode g = got.get(k);
            if (k.equals("version")) {
                // lsattr's version, or null where lsattr fails (links, fifos, a tmpfs): both happen on one host.
                assertTrue(g.isTextual() || g.isNull(), name + ": type of version: " + g);
            } else if (BY_TYPE.contains(k) || (k.equals("size") && want.get("isdir").asBoolean())) {
                assertEquals(w.getNodeType(), g.getNodeType(), name + ": type of " + k);
                assertEquals(w.isFloatingPointNumber(), g.isFloatingPointNumber(), name + ": float or int " + k);
            } else if ((k.equals("mimetype") || k.equals("charset")) && !haveFile) {
                assertEquals("unknown", g.asText(), name + ": " + k + " without the file tool");
            } else if (w.isNumber()) {
                assertTrue(g.isNumber() && w.isIntegralNumber() == g.isIntegralNumber(), name + ": type of " + k + ": " + g);
                assertEquals(0, w.decimalValue().compareTo(g.decimalValue()), name + ": " + k + " " + w + " vs " + g);
            } else if (w.isTextual()) {
                assertEquals(w.asText().replace(base, dir.toString()), g.asText(), name + ": " + k);
            } else {
                assertEquals(w, g, name + ": " + k);
            }
        }
        if (want.get("exists").asBoolean()) sameAsJava(got, name);
    }

    /** The task's arguments, from the case line the fixture records (key=value words, as the script ran them). */
    private static Map<String, Object> args(JsonNode line, String base) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (String w : line.asText().replace(base, dir.toString()).split(" ")) {
            int eq = w.indexOf('=');
            out.put(w.substring(0, eq), w.substring(eq + 1));
        }
        return out;
    }

    /** The keys compared by type only, checked by value against what Java reads of the same path. */
    private static void sameAsJava(JsonNode got, String name) throws Exception {
        Path p = Path.of(got.get("path").asText());
        LinkOption[] how = got.get("islnk").asBoolean() ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
        assertEquals(((Number) Files.getAttribute(p, "unix:ino", how)).longValue(), got.get("inode").asLong(), name);
        assertEquals(((Number) Files.getAttribute(p, "unix:dev", how)).longValue(), got.get("dev").asLong(), name);
        assertEquals(seconds((FileTime) Files.getAttribute(p, "unix:lastModifiedTime", how)), got.get("mtime").asDouble(), name);
        assertEquals(seconds((FileTime) Files.getAttribute(p, "unix:ctime", how)), got.get("ctime").asDouble(), name);
        assertEquals(((Number) Files.getAttribute(p, "unix:size", how)).longValue(), got.get("size").asLong(), name);
    }

    /** A file time as Python's float: whole seconds plus nanoseconds times 1e-9. */
    private static double seconds(FileTime t) {
        java.time.Instant i = t.toInstant();
        return i.getEpochSecond() + i.getNano() * 1e-9;
    }

    private static Set<String> keys(JsonNode n) {
        Set<String> out = new TreeSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
