package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Diff;
import dev.moat.module.Plan;
import dev.moat.module.Step;

/**
 * deb822_repository, apt_repository, apt_key and dpkg_selections decided against recorded host
 * states. Ansible's answers come from {@code src/test/resources/apt/}: {@code deb822-a.sources} and
 * {@code deb822-b.sources} are what Ansible's deb822_repository (devel, run with Debian 12's
 * python3-debian) rendered for the arguments below; {@code ansible-answers.tsv} what ansible 2.14
 * answered in check mode on this machine.
 */
class AptRepositoriesTest {
    static final Path RES = Path.of("src/test/resources/apt");
    static final String DIR = "directory 755 0 0 4096 root root\n";

    static String file(String mode, String content) {
        return "file " + mode + " 0 0 " + content.length() + " root root\n" + content;
    }

    static List<String> scripts(Plan p) {
        return p.steps().stream().map(Step::script).toList();
    }

    static String answer(String task) throws Exception {
        for (String l : Files.readAllLines(RES.resolve("ansible-answers.tsv"))) if (l.startsWith(task + "\t")) return l.substring(task.length() + 1);
        throw new AssertionError("no recorded answer for " + task);
    }

    // ---- deb822_repository

    final Deb822Repository deb822 = new Deb822Repository();

    @Test
    void deb822RendersAsAnsibleWithAKeyPathOnTheHost() throws Exception {
        Deb822Repository.RepoArgs a = LocalHost.bind(deb822, Map.of("name", "Docker CE_stable", "types", List.of("deb", "deb-src"),
                "uris", "http://10.81.0.1:3143/", "suites", List.of("bookworm"), "components", List.of("stable", "main"),
                "signed_by", "/tmp/aptx/k/key.asc", "architectures", "amd64", "enabled", true, "trusted", false));
        assertEquals("/etc/apt/sources.list.d/docker-ce-stable.sources", a.dest());
        FakeFacts f = new FakeFacts().put("file:" + a.dest(), "absent\n").put("file:/etc/apt/sources.list.d", DIR)
                .put("file:/tmp/aptx/k/key.asc", file("644", "key"));
        Plan p = deb822.plan(a, f, FakeContext.apply());
        String ansible = Files.readString(RES.resolve("deb822-a.sources"));
        assertEquals(ansible, p.result().get("repo"));
        assertEquals("/tmp/aptx/k/key.asc", p.result().get("key_filename"));
        assertEquals(1, p.steps().size());
        assertArrayEquals(ansible.getBytes(), p.steps().get(0).stdin());
        assertEquals(List.of(new Undo.RestorePath(a.dest())), p.undo());
        FakeFacts same = new FakeFacts().put("file:" + a.dest(), file("644", ansible)).put("file:/etc/apt/sources.list.d", DIR)
                .put("file:/tmp/aptx/k/key.asc", file("644", "key"));
        assertFalse(deb822.plan(a, same, FakeContext.apply()).changes(), "the same file is converged");
    }

    @Test
    void deb822FoldsAnInlineKeyAsAnsible() throws Exception {
        String key = Files.readString(RES.resolve("test-key.asc"));
        Deb822Repository.RepoArgs a = LocalHost.bind(deb822, Map.of("name", "inline", "uris", List.of("http://x/"), "suites", "./",
                "pdiffs", false, "signed_by", key));
        FakeFacts f = new FakeFacts().put("file:" + a.dest(), "absent\n").put("file:/etc/apt/sources.list.d", DIR);
        Plan p = deb822.plan(a, f, FakeContext.apply());
        assertEquals(Files.readString(RES.resolve("deb822-b.sources")), p.result().get("repo"));
        assertNull(p.result().get("key_filename"));
    }

    @Test
    void deb822DownloadsAKeyUrlIntoKeyringsByItsArmor() throws Exception {
        Deb822Repository.RepoArgs a = LocalHost.bind(deb822, Map.of("name", "moat", "uris", "http://10.81.0.1:3143/", "suites", "./",
                "signed_by", "http://10.81.0.1:3143/key.asc"));
        String sum = "ab".repeat(32);
        FakeFacts f = new FakeFacts().put("file:" + a.dest(), "absent\n").put("file:/etc/apt/sources.list.d", DIR)
                .put("file:/etc/apt/keyrings/moat.asc", "absent\n").put("file:/etc/apt/keyrings/moat.gpg", "absent\n").put("file:/etc/apt/keyrings", "absent\n")
                .put("aptkeyurl:http://10.81.0.1:3143/key.asc", "@@sha256 " + sum + "\n@@armored yes\n");
        Plan p = deb822.plan(a, f, FakeContext.apply());
        assertEquals(List.of("create /etc/apt/keyrings", "download http://10.81.0.1:3143/key.asc to /etc/apt/keyrings/moat.asc",
                "write /etc/apt/sources.list.d/moat.sources (" + ((String) p.result().get("repo")).length() + " bytes)"),
                p.steps().stream().map(Step::describe).toList());
        assertTrue(((String) p.result().get("repo")).contains("Signed-By: /etc/apt/keyrings/moat.asc\n"));
        assertEquals(List.of(new Undo.RestorePath("/etc/apt/keyrings"), new Undo.RestorePath("/etc/apt/keyrings/moat.asc"),
                new Undo.RestorePath(a.dest())), p.undo());
        assertTrue(scripts(p).get(1).contains(sum), "the write checks it is still the key that was read");
        FakeFacts failed = new FakeFacts().put("file:" + a.dest(), "absent\n").put("file:/etc/apt/sources.list.d", DIR)
                .put("file:/etc/apt/keyrings/moat.asc", "absent\n").put("file:/etc/apt/keyrings/moat.gpg", "absent\n").put("file:/etc/apt/keyrings", DIR)
                .put("aptkeyurl:http://10.81.0.1:3143/key.asc", "@@fetch-failed\n");
        assertTrue(assertThrows(dev.moat.module.TaskException.class, () -> deb822.plan(a, failed, FakeContext.apply()))
                .getMessage().startsWith("Could not fetch signed_by key"));
    }

    @Test
    void deb822LeavesADownloadedKeyWithMode0644Alone() throws Exception {
        // Found on a testbed host: the file fact gives modes as four digits ("0644"), and a rerun
        // "changed" the key's mode from 0644 to 644.
        Deb822Repository.RepoArgs a = LocalHost.bind(deb822, Map.of("name", "moat", "uris", "http://10.81.0.1:3143/", "suites", "./",
                "signed_by", "http://10.81.0.1:3143/key.asc"));
        String sum = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest("key".getBytes()));
        FakeFacts base = new FakeFacts().put("file:/etc/apt/sources.list.d", DIR).put("file:/etc/apt/keyrings", DIR)
                .put("file:/etc/apt/keyrings/moat.gpg", "absent\n").put("aptkeyurl:http://10.81.0.1:3143/key.asc", "@@sha256 " + sum + "\n@@armored yes\n");
        String sources = (String) deb822.plan(a, base.put("file:" + a.dest(), "absent\n").put("file:/etc/apt/keyrings/moat.asc", "absent\n"),
                FakeContext.apply()).result().get("repo");
        FakeFacts same = base.put("file:" + a.dest(), file("0644", sources)).put("file:/etc/apt/keyrings/moat.asc", file("0644", "key"));
        assertEquals(List.of(), deb822.plan(a, same, FakeContext.apply()).steps());
        FakeFacts tight = base.put("file:" + a.dest(), file("0644", sources)).put("file:/etc/apt/keyrings/moat.asc", file("0600", "key"));
        assertEquals(List.of("chmod 0644 -- /etc/apt/keyrings/moat.asc"), scripts(deb822.plan(a, tight, FakeContext.apply())));
    }

    @Test
    void deb822AbsentRemovesTheFileAndItsKeys() throws Exception {
        Deb822Repository.RepoArgs a = LocalHost.bind(deb822, Map.of("name", "moat", "state", "absent"));
        FakeFacts f = new FakeFacts().put("file:" + a.dest(), file("644", "Types: deb\n")).put("file:/etc/apt/sources.list.d", DIR)
                .put("file:/etc/apt/keyrings/moat.asc", file("644", "k")).put("file:/etc/apt/keyrings/moat.gpg", "absent\n").put("file:/etc/apt/keyrings", DIR);
        Plan p = deb822.plan(a, f, FakeContext.apply());
        assertEquals(List.of("rm -f -- /etc/apt/sources.list.d/moat.sources", "rm -f -- /etc/apt/keyrings/moat.asc"), scripts(p));
        assertEquals(List.of(new Undo.RestorePath(a.dest()), new Undo.RestorePath("/etc/apt/keyrings/moat.asc")), p.undo());
        assertEquals("Types", Deb822Repository.fieldName("types"));
        assertEquals("Check-Valid-Until", Deb822Repository.fieldName("check_valid_until"));
        assertEquals("types", assertThrows(ArgException.class, () -> LocalHost.bind(deb822, Map.of("name", "x", "types", "rpm"))).arg());
    }

    // ---- apt_repository

    final AptRepository repo = new AptRepository();
    static final String SOURCES = "@@file /etc/apt/sources.list\n|deb http://deb.debian.org/debian bookworm main\n"
            + "|#deb   http://10.81.0.1:3143/ ./   # local\n|\n\n@@file /etc/apt/sources.list.d/old.list\n|deb http://old/ ./\n\n";

    @Test
    void aptRepositoryAddsANewFileNamedAsAnsibleDoes() throws Exception {
        String ansible = answer("apt_repository repo='deb [signed-by=/etc/apt/keyrings/x.gpg arch=amd64] http://user:pw@10.81.0.1:3143/deb/ ./'");
        assertTrue(ansible.contains("\"after_header\": \"/etc/apt/sources.list.d/10_81_0_1_3143_deb.list\""), ansible);
        AptRepository.RepoArgs a = LocalHost.bind(repo, Map.of("repo", "deb [signed-by=/etc/apt/keyrings/x.gpg arch=amd64] http://user:pw@10.81.0.1:3143/deb/ ./"));
        Plan p = repo.plan(a, new FakeFacts().put("host:apt-sources", SOURCES), FakeContext.apply());
        assertEquals(List.of("write /etc/apt/sources.list.d/10_81_0_1_3143_deb.list", "apt-get update"), p.steps().stream().map(Step::describe).toList());
        assertEquals("deb [signed-by=/etc/apt/keyrings/x.gpg arch=amd64] http://user:pw@10.81.0.1:3143/deb/ ./\n", new String(p.steps().get(0).stdin()));
        assertEquals(new Undo.RestorePath("/etc/apt/sources.list.d/10_81_0_1_3143_deb.list"), p.undo().get(0));
        assertTrue(answer("apt_repository repo='deb http://10.81.0.1:3143/ ./' filename=moat-test").contains("/etc/apt/sources.list.d/moat-test.list"));
    }

    @Test
    void aptRepositoryEnablesADisabledLineInPlaceAndRemovesAnEmptiedFile() throws Exception {
        Plan on = repo.plan(LocalHost.bind(repo, Map.of("repo", "deb http://10.81.0.1:3143/ ./", "update_cache", false)),
                new FakeFacts().put("host:apt-sources", SOURCES), FakeContext.apply());
        assertEquals(List.of("write /etc/apt/sources.list"), on.steps().stream().map(Step::describe).toList());
        assertEquals("deb http://deb.debian.org/debian bookworm main\ndeb http://10.81.0.1:3143/ ./ # local\n\n", new String(on.steps().get(0).stdin()),
                "rewritten as Ansible writes it");
        Plan off = repo.plan(LocalHost.bind(repo, Map.of("repo", "deb http://old/ ./", "state", "absent", "update_cache", false)),
                new FakeFacts().put("host:apt-sources", SOURCES), FakeContext.apply());
        assertEquals(List.of("rm -f -- /etc/apt/sources.list.d/old.list"), scripts(off));
        assertEquals(List.of(new Undo.RestorePath("/etc/apt/sources.list.d/old.list")), off.undo());
        assertTrue(answer("apt_repository repo='deb http://deb.debian.org/debian bookworm main' state=absent").startsWith("{\"changed\": false"));
        assertFalse(repo.plan(LocalHost.bind(repo, Map.of("repo", "deb http://nowhere/ ./", "state", "absent")),
                new FakeFacts().put("host:apt-sources", SOURCES), FakeContext.apply()).changes());
        assertFalse(repo.plan(LocalHost.bind(repo, Map.of("repo", "deb  http://deb.debian.org/debian  bookworm main")),
                new FakeFacts().put("host:apt-sources", SOURCES), FakeContext.apply()).changes(), "spaces are normalized");
        assertEquals("repo", assertThrows(ArgException.class, () -> LocalHost.bind(repo, Map.of("repo", "ppa:nginx/stable"))).arg());
        assertEquals("repo", assertThrows(ArgException.class, () -> LocalHost.bind(repo, Map.of("repo", "http://x/ ./"))).arg());
    }

    // ---- apt_key

    final AptKey key = new AptKey();
    static final String HAVE = "@@have\nC0BA5CE6DC6315A3\nB7C5D7D6350947F8\n";

    @Test
    void aptKeyAddsAKeyWhoseIdIsMissingAndJournalsTheKeyring() throws Exception {
        AptKey.KeyArgs a = LocalHost.bind(key, Map.of("url", "http://10.81.0.1:3143/key.asc"));
        FakeFacts f = new FakeFacts().put(AptKey.fact(a).key(), HAVE + "@@material BB60B01D81A37F34\n");
        Plan p = key.plan(a, f, FakeContext.apply());
        assertEquals(List.of("apt-key add BB60B01D81A37F34"), p.steps().stream().map(Step::describe).toList());
        assertEquals(List.of(new Undo.RestorePath("/etc/apt/trusted.gpg"), new Undo.RestorePath("/etc/apt/trusted.gpg~")), p.undo());
        FakeFacts there = new FakeFacts().put(AptKey.fact(a).key(), HAVE + "BB60B01D81A37F34\n@@material BB60B01D81A37F34\n");
        assertFalse(key.plan(a, there, FakeContext.apply()).changes());
        assertTrue(answer("apt_key data='{{ lookup(\"file\", \"/tmp/aptx/k/key.asc\") }}'").startsWith("{\"changed\": true"));
    }

    @Test
    void aptKeyComparesShortIdsAndRemovesByTheShortId() throws Exception {
        AptKey.KeyArgs gone = LocalHost.bind(key, Map.of("id", "81A37F34", "state", "absent"));
        assertFalse(key.plan(gone, new FakeFacts().put(AptKey.fact(gone).key(), HAVE), FakeContext.apply()).changes());
        assertTrue(answer("apt_key id=81A37F34 state=absent").startsWith("{\"changed\": false"));
        AptKey.KeyArgs del = LocalHost.bind(key, Map.of("id", "0xC0BA5CE6DC6315A3", "state", "absent", "keyring", "/etc/apt/keyrings/g.gpg"));
        Plan p = key.plan(del, new FakeFacts().put(AptKey.fact(del).key(), HAVE), FakeContext.apply());
        assertEquals(List.of("LC_ALL=C apt-key --keyring /etc/apt/keyrings/g.gpg del DC6315A3 >/dev/null"), scripts(p));
        assertTrue(answer("apt_key id=12345 url=http://x/").contains("Invalid key_id"));
        assertEquals("id", assertThrows(ArgException.class, () -> LocalHost.bind(key, Map.of("id", "12345", "url", "http://x/"))).arg());
        assertEquals("keyserver", assertThrows(ArgException.class, () -> LocalHost.bind(key, Map.of("id", "81A37F34", "keyserver", "keys.example"))).arg());
    }

    @Test
    void aptKeyReadDoesNotCreateAMissingKeyring() throws Exception {
        // Found on a testbed host: apt-key --keyring FILE adv --list-public-keys creates FILE empty,
        // so a check (or the read of an apply that a rollback later undid) left an empty keyring.
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/apt-key")), "apt-key is installed");
        Path dir = Files.createTempDirectory("moat-aptkey");
        Path ring = dir.resolve("k.gpg");
        AptKey.KeyArgs a = LocalHost.bind(key, Map.of("id", "81A37F34", "state", "absent", "keyring", ring.toString()));
        assertEquals("@@have\n", new String(LocalHost.read(AptKey.fact(a)).stdout()));
        assertFalse(Files.exists(ring), "the read left " + ring);
        Files.delete(dir);
    }

    // ---- dpkg_selections

    final DpkgSelections sel = new DpkgSelections();

    @Test
    void dpkgSelectionsAsAnsibleAndItsUndo() throws Exception {
        String bash = Files.readString(RES.resolve("selections-bash.txt"));
        DpkgSelections.SelectionArgs hold = LocalHost.bind(sel, Map.of("name", "bash", "selection", "hold"));
        Plan p = sel.plan(hold, new FakeFacts().put("dpkgsel:bash", bash), FakeContext.apply());
        assertEquals(List.of("printf '%s\\n' 'bash hold' | dpkg --set-selections"), scripts(p));
        assertEquals(List.of(new Undo.RestoreSelection("bash", "install")), p.undo());
        assertEquals(List.of(Diff.of("dpkg selection bash", "install\n", "hold\n")), p.diffs());
        assertTrue(answer("dpkg_selections name=bash selection=hold").contains("\"before\": \"install\", \"after\": \"hold\""));
        Plan same = sel.plan(LocalHost.bind(sel, Map.of("name", "bash", "selection", "install")), new FakeFacts().put("dpkgsel:bash", bash), FakeContext.apply());
        assertFalse(same.changes());
        assertEquals("install", same.result().get("before"));
        // Ansible 2.14: a package dpkg does not know gets the selection, from "not present".
        assertTrue(answer("dpkg_selections name=no-such-pkg-moat selection=hold").contains("\"before\": \"not present\""));
        Plan unknown = sel.plan(LocalHost.bind(sel, Map.of("name", "no-such-pkg-moat", "selection", "hold")),
                new FakeFacts().put("dpkgsel:no-such-pkg-moat", Files.readString(RES.resolve("selections-missing.txt"))), FakeContext.apply());
        assertEquals("not present", unknown.result().get("before"));
        assertTrue(unknown.undo().get(0) instanceof Undo.Irreversible);
    }
}
