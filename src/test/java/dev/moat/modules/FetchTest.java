package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.module.Plan;
import dev.moat.module.Step;
import dev.moat.module.TaskException;

/** fetch's decisions: where the file goes (as Ansible 2.14's action computes it), and when it travels. */
class FetchTest {
    private final Fetch module = new Fetch();
    /** SHA-1 of "hello\n". */
    static final String HELLO = "f572d396fae9206628714fb2ce00f72e94f2258f";

    @TempDir
    Path dir;

    @Test
    void destinationsAsAnsibleComputesThem() throws Exception {
        Fetch.FetchArgs tree = LocalHost.bind(module, Map.of("src", "/etc/motd", "dest", "/b"));
        assertEquals("/b/h1/etc/motd", Fetch.destination(tree, "/b", "h1"));
        Fetch.FetchArgs flat = LocalHost.bind(module, Map.of("src", "/etc/motd", "dest", "/b/", "flat", true));
        assertEquals("/b/motd", Fetch.destination(flat, "/b/", "h1"));
        Fetch.FetchArgs flatFile = LocalHost.bind(module, Map.of("src", "/etc/motd", "dest", dir.toString(), "flat", true));
        assertEquals("dest is an existing directory, use a trailing slash if you want to fetch src into that directory",
                assertThrows(TaskException.class, () -> Fetch.destination(flatFile, dir.toString(), "h1")).getMessage());
    }

    @Test
    void aFileTravelsOnlyWhenTheControllersCopyDiffers() throws Exception {
        Fetch.FetchArgs a = LocalHost.bind(module, Map.of("src", "/etc/motd", "dest", dir.toString()));
        Path dest = dir.resolve("h1/etc/motd");
        Plan p = Fetch.plan(a, new Fetch.Remote("ok", HELLO), dest);
        Step s = p.steps().get(0);
        assertEquals(new Step.ToController(dest, HELLO), s.fetch());
        assertTrue(p.undo().isEmpty(), "nothing to journal on the host");
        Files.createDirectories(dest.getParent());
        Files.writeString(dest, "hello\n");
        Plan same = Fetch.plan(a, new Fetch.Remote("ok", HELLO), dest);
        assertFalse(same.changes());
        assertEquals(HELLO, same.result().get("checksum"));
        Fetch.FetchArgs noCheck = LocalHost.bind(module, Map.of("src", "/etc/motd", "dest", dir.toString(), "validate_checksum", false));
        assertNull(Fetch.plan(noCheck, new Fetch.Remote("ok", "0".repeat(40)), dest).steps().get(0).fetch().sha1());
    }

    @Test
    void missingFilesAndDirectoriesAsAnsible() throws Exception {
        Fetch.FetchArgs a = LocalHost.bind(module, Map.of("src", "/nope", "dest", dir.toString()));
        assertEquals("the remote file does not exist, not transferring, ignored",
                assertThrows(TaskException.class, () -> Fetch.plan(a, new Fetch.Remote("missing", null), dir.resolve("x"))).getMessage());
        Fetch.FetchArgs lax = LocalHost.bind(module, Map.of("src", "/nope", "dest", dir.toString(), "fail_on_missing", false));
        assertFalse(Fetch.plan(lax, new Fetch.Remote("missing", null), dir.resolve("x")).changes());
        assertEquals("remote file is a directory, fetch cannot work on directories",
                assertThrows(TaskException.class, () -> Fetch.plan(a, new Fetch.Remote("dir", null), dir.resolve("x"))).getMessage());
    }
}
