package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.facts.FileFact;
import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Args;
import dev.moat.module.Diff;
import dev.moat.module.FactOutput;
import dev.moat.module.Plan;
import dev.moat.module.SafeWrite;
import dev.moat.module.Step;
import dev.moat.module.TaskException;

class CopyTest {
    final Copy copy = new Copy();

    @TempDir
    Path dir;

    private static String fileOut(String mode, String content) {
        return "file " + mode + " 0 0 " + content.length() + " root root\n" + content;
    }

    private FakeFacts facts(String dest, String destOut) {
        return new FakeFacts().put("file:" + dest, destOut).put("file:" + FileWrite.parentOf(dest), "directory 755 0 0 4096 root root\n");
    }

    @Test
    void argumentsAreChecked() {
        assertEquals("dest", assertThrows(ArgException.class, () -> Args.check(copy.spec(), Map.of("content", "x"))).arg());
        ArgException both = assertThrows(ArgException.class,
                () -> Args.check(copy.spec(), Map.of("dest", "/x", "content", "a", "src", "b")));
        assertTrue(both.getMessage().contains("mutually exclusive"));
        assertThrows(ArgException.class, () -> Args.check(copy.spec(), Map.of("dest", "/x")));
        assertEquals("mode", assertThrows(ArgException.class,
                () -> Args.check(copy.spec(), Map.of("dest", "/x", "content", "a", "mode", "rwx"))).arg());
        assertEquals("validate", assertThrows(ArgException.class,
                () -> LocalHost.bind(copy, Map.of("dest", "/x", "content", "a", "validate", "nginx -t"))).arg());
        assertEquals("dest", assertThrows(ArgException.class, () -> LocalHost.bind(copy, Map.of("dest", "rel", "content", "a"))).arg());
        assertEquals("unknown argument 'bogus'; expected one of dest, content, src, mode, owner, group, validate, backup",
                assertThrows(ArgException.class, () -> Args.check(copy.spec(), Map.of("dest", "/x", "content", "a", "bogus", 1))).getMessage());
    }

    @Test
    void convergedIsAnEmptyPlan() throws Exception {
        Copy.CopyArgs a = LocalHost.bind(copy, Map.of("dest", "/etc/motd", "content", "hi\n", "mode", "0644", "owner", "root"));
        Plan p = copy.plan(a, facts("/etc/motd", fileOut("644", "hi\n")), FakeContext.apply());
        assertFalse(p.changes());
        assertTrue(p.diffs().isEmpty());
        assertTrue(p.undo().isEmpty());
    }

    @Test
    void driftGivesOneAtomicWriteWithDiffAndUndo() throws Exception {
        Copy.CopyArgs a = LocalHost.bind(copy, Map.of("dest", "/etc/motd", "content", "new\n", "mode", "0600"));
        Plan p = copy.plan(a, facts("/etc/motd", fileOut("644", "old\n")), FakeContext.apply());
        assertEquals(1, p.steps().size());
        Step s = p.steps().get(0);
        assertArrayEquals("new\n".getBytes(StandardCharsets.UTF_8), s.stdin());
        assertEquals(SafeWrite.create("/etc/motd", "chmod 0600 \"$t/new\"\n", "write"), s.script(),
                "through SafeWrite, the wanted mode set on the private temporary file");
        // 0600 gives others no read: the file is secret, its contents stay out of every output.
        assertEquals(List.of(new Diff("/etc/motd", "/etc/motd", null, null, true), Diff.of("/etc/motd", "mode 0644", "mode 0600")), p.diffs());
        Plan readable = copy.plan(LocalHost.bind(copy, Map.of("dest", "/etc/motd", "content", "new\n", "mode", "0644")),
                facts("/etc/motd", fileOut("644", "old\n")), FakeContext.apply());
        assertEquals(List.of(Diff.file("/etc/motd", "old\n", "new\n")), readable.diffs());
        Plan wasSecret = copy.plan(LocalHost.bind(copy, Map.of("dest", "/etc/motd", "content", "new\n", "mode", "0644")),
                facts("/etc/motd", fileOut("600", "old\n")), FakeContext.apply());
        assertTrue(wasSecret.diffs().get(0).hidden(), "a file that was secret keeps its old contents hidden");
        assertEquals(List.of(new Undo.RestorePath("/etc/motd")), p.undo());
        assertEquals(Set.of("file:/etc/motd"), p.touches());
    }

    @Test
    void modeOrOwnerOnlyChangesEmitOnlyChmodChown() throws Exception {
        Copy.CopyArgs a = LocalHost.bind(copy, Map.of("dest", "/etc/motd", "content", "hi\n", "mode", "0600", "group", "adm"));
        Plan p = copy.plan(a, facts("/etc/motd", fileOut("644", "hi\n")), FakeContext.apply());
        assertEquals(List.of("chmod 0600 -- /etc/motd", "chown -h :adm -- /etc/motd"), p.steps().stream().map(Step::script).toList());
        assertEquals(List.of(Diff.of("/etc/motd", "mode 0644, group root", "mode 0600, group adm")), p.diffs());
        assertEquals(List.of(new Undo.RestorePath("/etc/motd")), p.undo());
    }

    @Test
    void symbolicModesCompareByEffect() throws Exception {
        Copy.CopyArgs a = LocalHost.bind(copy, Map.of("dest", "/etc/motd", "content", "hi\n", "mode", "u=rw,g=r,o=r"));
        assertFalse(copy.plan(a, facts("/etc/motd", fileOut("644", "hi\n")), FakeContext.apply()).changes());
        assertTrue(copy.plan(a, facts("/etc/motd", fileOut("640", "hi\n")), FakeContext.apply()).changes());
    }

    @Test
    void aMissingParentIsAnErrorNamingItButNotInCheckMode() throws Exception {
        Copy.CopyArgs a = LocalHost.bind(copy, Map.of("dest", "/etc/new/x.conf", "content", "x"));
        FakeFacts f = new FakeFacts().put("file:/etc/new/x.conf", "absent\n").put("file:/etc/new", "absent\n");
        TaskException e = assertThrows(TaskException.class, () -> copy.plan(a, f, FakeContext.apply()));
        assertEquals("parent directory /etc/new of /etc/new/x.conf does not exist", e.getMessage());
        Plan check = copy.plan(a, f, FakeContext.checkMode());
        assertTrue(check.changes());
        assertEquals(List.of(Diff.file("/etc/new/x.conf", "", "x")), check.diffs());
    }

    @Test
    void binaryContentIsSummarizedInTheDiff() throws Exception {
        Path src = dir.resolve("files/blob.bin");
        Files.createDirectories(src.getParent());
        byte[] bin = {0, 1, 2, (byte) 0xff};
        Files.write(src, bin);
        Copy.CopyArgs a = LocalHost.bind(copy, Map.of("dest", "/opt/", "src", "blob.bin"));
        assertEquals("/opt/blob.bin", a.dest());
        Plan p = copy.plan(a, facts("/opt/blob.bin", "absent\n"), new FakeContext(false, dir));
        assertEquals("(binary, 4 bytes, sha256 " + FileFact.sha256(bin) + ")\n", p.diffs().get(0).after());
        assertArrayEquals(bin, p.steps().get(0).stdin());
    }

    @Test
    void aMissingSrcNamesWhereItLooked() throws Exception {
        Copy.CopyArgs a = LocalHost.bind(copy, Map.of("dest", "/opt/x", "src", "nope.txt"));
        TaskException e = assertThrows(TaskException.class, () -> copy.plan(a, facts("/opt/x", "absent\n"), new FakeContext(false, dir)));
        assertTrue(e.getMessage().contains(dir.resolve("files/nope.txt").toString()), e.getMessage());
    }

    @Test
    void aVaultedSrcIsDecryptedAndItsContentsHidden() throws Exception {
        Path vault = Path.of("src/test/resources/vault").toAbsolutePath();
        Copy.CopyArgs a = LocalHost.bind(copy, Map.of("dest", "/etc/ssl/test.key", "src", vault.resolve("test.key.vault").toString()));
        TaskException e = assertThrows(TaskException.class, () -> copy.plan(a, facts("/etc/ssl/test.key", "absent\n"), new FakeContext(false, dir)));
        assertTrue(e.getMessage().startsWith("src " + vault.resolve("test.key.vault") + " is encrypted with Ansible Vault and cannot be decrypted:"
                + " no vault password given"), e.getMessage());
        dev.moat.vault.Vault.install(dev.moat.vault.VaultIds.load(List.of(), List.of(vault.resolve("password.txt")), false, null));
        try {
            List<String> revealed = new java.util.ArrayList<>();
            dev.moat.vault.Vault.current().onReveal(revealed::add);
            Plan p = copy.plan(a, facts("/etc/ssl/test.key", "absent\n"), new FakeContext(false, dir));
            assertArrayEquals(Files.readAllBytes(vault.resolve("test.key.plain")), p.steps().get(0).stdin(), "the host gets the plaintext");
            assertTrue(p.diffs().get(0).hidden(), "a vaulted file is secret wherever it goes");
            assertEquals(List.of(Files.readString(vault.resolve("test.key.plain"))), revealed);
        } finally {
            dev.moat.vault.Vault.install(null);
        }
    }

    // ---- for real, through sh, in a scratch directory ----

    @Test
    void writesForRealThenConverges() throws Exception {
        Path dest = dir.resolve("sub dir/it's \"quoted\".conf");
        Files.createDirectories(dest.getParent());
        Plan p = LocalHost.converge(copy, Map.of("dest", dest.toString(), "content", "a = 1\n", "mode", "0640"), FakeContext.apply());
        assertTrue(p.changes());
        assertEquals("a = 1\n", Files.readString(dest));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dest)));
        try (var s = Files.list(dest.getParent())) {
            assertEquals(1, s.count(), "no temp file left behind");
        }
        // drift by hand, then again
        Files.writeString(dest, "a = 2\n");
        Plan again = LocalHost.converge(copy, Map.of("dest", dest.toString(), "content", "a = 1\n", "mode", "0640"), FakeContext.apply());
        assertEquals(List.of(new Diff(dest.toString(), dest.toString(), null, null, true)), again.diffs(), "0640: contents hidden");
        assertEquals("a = 1\n", Files.readString(dest));
    }

    @Test
    void aNewFileGetsTheUmaskDefaultAndAnExistingOneKeepsItsMode() throws Exception {
        Path dest = dir.resolve("new.txt");
        LocalHost.converge(copy, Map.of("dest", dest.toString(), "content", "x"), FakeContext.apply());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dest)));
        Files.setPosixFilePermissions(dest, PosixFilePermissions.fromString("rwx------"));
        LocalHost.converge(copy, Map.of("dest", dest.toString(), "content", "y"), FakeContext.apply());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dest)));
        assertEquals("y", Files.readString(dest));
    }

    @Test
    void modeOnlyChangeForReal() throws Exception {
        Path dest = dir.resolve("m");
        Files.writeString(dest, "same");
        Plan p = LocalHost.converge(copy, Map.of("dest", dest.toString(), "content", "same", "mode", "u=rw,go=", "owner", "root"), FakeContext.apply());
        assertEquals(1, p.steps().size());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dest)));
    }

    @Test
    void aFailingValidateLeavesTheFileAlone() throws Exception {
        Path dest = dir.resolve("v.conf");
        Files.writeString(dest, "good\n");
        Copy.CopyArgs a = LocalHost.bind(copy, Map.of("dest", dest.toString(), "content", "bad\n", "validate", "grep -q good %s"));
        Plan p = LocalHost.plan(copy, a, FakeContext.apply());
        FactOutput failed = LocalHost.execute(p);
        assertNotNull(failed);
        assertTrue(failed.errText().contains("validation failed: grep -q good %s"), failed.errText());
        assertEquals("good\n", Files.readString(dest));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "the temp file is removed");
        }
        // and a passing one writes
        LocalHost.converge(copy, Map.of("dest", dest.toString(), "content", "good 2\n", "validate", "grep -q good %s"), FakeContext.apply());
        assertEquals("good 2\n", Files.readString(dest));
    }

    @Test
    void replacesASymlinkAndWritesBinary() throws Exception {
        Path dest = dir.resolve("l");
        Files.createSymbolicLink(dest, Path.of("/etc/hostname"));
        Path src = dir.resolve("files/b");
        Files.createDirectories(src.getParent());
        byte[] bin = new byte[1000];
        for (int i = 0; i < bin.length; i++) bin[i] = (byte) (i * 7);
        Files.write(src, bin);
        LocalHost.converge(copy, Map.of("dest", dest.toString(), "src", "b"), new FakeContext(false, dir));
        assertFalse(Files.isSymbolicLink(dest));
        assertArrayEquals(bin, Files.readAllBytes(dest));
    }
}
