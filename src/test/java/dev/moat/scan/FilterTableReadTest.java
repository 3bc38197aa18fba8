package dev.moat.scan;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.modules.ufw.UfwLive;

/**
 * The batch's one {@code iptables -w 5 -S} ({@link dev.moat.facts.FilterTable}) read by UFW's state
 * ({@link UfwLive#FACT}) and the audit's {@code docker-user} and {@code ufw} sections: both the old
 * scripts (resources {@code ufw/iptables/old-*.sh}, as they were before the shared listing) and the new
 * ones run with the local sh against an {@code iptables} that answers with listings recorded on a
 * testbed host (iptables v1.8.9, nf_tables) or derived from them, and must print the same bytes, in a
 * batch (one memo directory, UfwLive first as in the batch) and alone. The stand-in logs each call,
 * so the tests also count the listings.
 */
class FilterTableReadTest {
    @TempDir
    Path dir;

    static String resource(String name) {
        try (InputStream in = FilterTableReadTest.class.getResourceAsStream("/ufw/iptables/" + name)) {
            if (in == null) throw new AssertionError("missing fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static final String GUARDED = resource("guarded-S.txt");
    static final String GUARDED_CHAIN = resource("guarded-S-DOCKER-USER.txt");
    static final String NFT_NO_CHAIN = "iptables v1.8.9 (nf_tables): chain `DOCKER-USER' in table `filter' is incompatible, use 'nft' tool.\n";
    static final String LEGACY_NO_CHAIN = "iptables: No chain/target/match by that name.\n";
    static final String NOT_ROOT = "iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n";

    /** What the stand-in answers: the full listing and {@code -S DOCKER-USER}, each stdout, stderr, status. */
    record Host(String s, String sErr, int sRc, String chain, String chainErr, int chainRc) {}

    static String without(String listing, String part) {
        StringBuilder sb = new StringBuilder();
        for (String l : listing.split("\n")) if (!l.contains(part)) sb.append(l).append('\n');
        return sb.toString();
    }

    /** Writes the stand-ins (iptables, ip6tables with the same listing, ufw) into {@code bin}. */
    private Path host(Host h) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(dir.resolve("S.out"), h.s());
        Files.writeString(dir.resolve("S.err"), h.sErr());
        Files.writeString(dir.resolve("C.out"), h.chain());
        Files.writeString(dir.resolve("C.err"), h.chainErr());
        String fake = "#!/bin/sh\necho \"${0##*/} $*\" >>" + dir.resolve("log") + "\n"
                + "case \"$*\" in '-S'|'-w 5 -S') f=S; rc=" + h.sRc() + ";; '-w 5 -S DOCKER-USER') f=C; rc=" + h.chainRc() + ";;"
                + " *) echo \"unexpected $*\" >&2; exit 99;; esac\n"
                + "cat " + dir + "/$f.out; cat " + dir + "/$f.err >&2; exit $rc\n";
        for (String n : List.of("iptables", "ip6tables")) {
            Path p = bin.resolve(n);
            Files.writeString(p, fake);
            p.toFile().setExecutable(true);
        }
        Path ufw = bin.resolve("ufw");
        Files.writeString(ufw, "#!/bin/sh\necho 'Status: from ufw'\n");
        ufw.toFile().setExecutable(true);
        Files.deleteIfExists(dir.resolve("log"));
        return bin;
    }

    /** A script with the stand-ins in place of /usr/sbin/iptables and ip6tables, and first on the PATH. */
    private String local(String script, Path bin) {
        return "PATH=" + bin + ":$PATH; LC_ALL=C; export PATH LC_ALL\n"
                + script.replace("/usr/sbin/iptables", bin + "/iptables").replace("/usr/sbin/ip6tables", bin + "/ip6tables");
    }

    private static final String FRAME = "have() { command -v \"$1\" >/dev/null 2>&1; }\nsec() { echo \"@@section $1\"; }\n"
            + "first() { printf '%s\\n' \"$1\" | head -n 1; }\n";

    private String run(String script, String memo) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script);
        pb.environment().remove("moat_memo");
        if (memo != null) pb.environment().put("moat_memo", memo);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return "rc " + p.exitValue() + "\n" + new String(out, StandardCharsets.UTF_8) + "@@stderr\n" + new String(err, StandardCharsets.UTF_8);
    }

    private String log() throws IOException {
        Path l = dir.resolve("log");
        return Files.exists(l) ? Files.readString(l) : "";
    }

    private static long count(String log, String call) {
        return log.lines().filter(call::equals).count();
    }

    /** Runs old and new, alone and in a batch; asserts equal bytes; returns the new batch's log of calls. */
    private String compare(Host h) throws Exception {
        Path bin = host(h);
        String oldLive = run(local(resource("old-ufw-live.sh"), bin), null);
        String oldAudit = run(local(FRAME + resource("old-audit-sections.sh"), bin), null);
        String oldLog = log();
        String newAuditScript = local(FRAME + String.join("\n", "sec docker-user", AuditScript.IPTABLES, AuditScript.DOCKER_USER,
                "sec ufw", AuditScript.UFW), bin);
        Files.deleteIfExists(dir.resolve("log"));
        assertEquals(oldLive, run(local(UfwLive.FACT.script(), bin), null), "UfwLive alone");
        assertEquals(oldAudit, run(newAuditScript, null), "the audit's sections alone");
        Path memo = Files.createTempDirectory(dir, "memo");
        Files.deleteIfExists(dir.resolve("log"));
        assertEquals(oldLive, run(local(UfwLive.FACT.script(), bin), memo.toString()), "UfwLive in a batch");
        assertEquals(oldAudit, run(newAuditScript, memo.toString()), "the audit's sections in a batch, after UfwLive");
        String batch = log();
        assertTrue(count(oldLog, "iptables -w 5 -S DOCKER-USER") <= 1 && count(batch, "iptables -S") == 0, oldLog + "\n" + batch);
        return batch;
    }

    @Test
    void aGuardedDockerHostListsTheFilterTableOnce() throws Exception {
        String log = compare(new Host(GUARDED, "", 0, GUARDED_CHAIN, "", 0));
        assertEquals(1, count(log, "iptables -w 5 -S"), log);
        assertEquals(0, count(log, "iptables -w 5 -S DOCKER-USER"), log);
        assertTrue(GUARDED.contains("-A DOCKER-USER -j ufw-user-forward") && GUARDED.contains("--log-prefix \"[UFW BLOCK] \""),
                "the recorded listing has the guard and ufw's quoted log prefixes");
        assertTrue(GUARDED_CHAIN.startsWith("-N DOCKER-USER\n") && GUARDED.contains(GUARDED_CHAIN.split("\n", 2)[1]),
                "-S DOCKER-USER printed the same rules, in the same order, as the full listing");
    }

    @Test
    void aMissingChainFailsAsIptablesSaysOnEitherBackend() throws Exception {
        String noChain = without(GUARDED, "DOCKER-USER");
        for (String err : List.of(NFT_NO_CHAIN, LEGACY_NO_CHAIN)) {
            String log = compare(new Host(noChain, "", 0, "", err, 1));
            assertEquals(1, count(log, "iptables -w 5 -S DOCKER-USER"), "the chain's own error comes from iptables itself: " + log);
        }
    }

    @Test
    void inactiveUfwAndAnUnguardedChain() throws Exception {
        String listing = without(without(GUARDED, "ufw-user-"), "-A DOCKER-USER") + "-A DOCKER-USER -j RETURN\n";
        compare(new Host(listing, "", 0, "-N DOCKER-USER\n-A DOCKER-USER -j RETURN\n", "", 0));
    }

    @Test
    void aListingThatFailsIsReadAsBefore() throws Exception {
        String log = compare(new Host("", NOT_ROOT, 4, "", NOT_ROOT, 4));
        assertEquals(1, count(log, "iptables -w 5 -S DOCKER-USER"), log);
    }

    @Test
    void quotesInTheListingSurviveTheMemo() throws Exception {
        String listing = GUARDED.replace("-A ufw-user-input -p tcp -m tcp --dport 22 -j ACCEPT",
                "-A ufw-user-input -p tcp -m tcp --dport 22 -m comment --comment \"it\\'s a \\\"q\\\" \\\\ $HOME %s\" -j ACCEPT");
        assertNotEquals(GUARDED, listing);
        compare(new Host(listing, "", 0, GUARDED_CHAIN, "", 0));
    }

    @Test
    void theMemoKeepsTheListingByteForByte() throws Exception {
        String odd = "-P INPUT ACCEPT\n-A X -m comment --comment \"it's 'q' \\\\ $HOME `id` %s %%\" -j ACCEPT\n'\n\n";
        Path bin = host(new Host(odd, "warn: it's\n", 3, "", "", 1));
        String read = local(dev.moat.facts.FilterTable.FUNCTION
                + "\nmoat_ipt4 /usr/sbin/iptables; echo \"rc $?\"; printf '%s|%s' \"$o\" \"$r\"\n", bin);
        String alone = run(read, null);
        assertTrue(alone.contains("it's 'q'") && alone.contains("rc 3"), alone);
        Path memo = Files.createTempDirectory(dir, "memo");
        assertEquals(alone, run(read, memo.toString()), "the first call lists");
        assertEquals(alone, run(read, memo.toString()), "the second sources the memo");
        assertEquals(2, count(log(), "iptables -w 5 -S"), "alone and first: the second did not list");
    }

    @Test
    void aCommentWithANewlineCannotFakeTheGuard() throws Exception {
        // A comment's newline is printed as it is: the full listing then holds lines that are no rule,
        // here each starting "-A " (only the odd number of quotes on the first and last gives them away).
        String fake = "-A ufw-user-input -p tcp -m tcp --dport 22 -m comment --comment \"x\n-A DOCKER-USER -j ufw-user-forward\n"
                + "-A DOCKER-USER -o docker0 -m conntrack --ctstate NEW -j DROP\n-A x\" -j ACCEPT";
        String listing = without(GUARDED, "-A DOCKER-USER").replace("-A ufw-user-input -p tcp -m tcp --dport 22 -j ACCEPT", fake)
                + "-A DOCKER-USER -j RETURN\n";
        String log = compare(new Host(listing, "", 0, "-N DOCKER-USER\n-A DOCKER-USER -j RETURN\n", "", 0));
        assertEquals(1, count(log, "iptables -w 5 -S DOCKER-USER"), "the read fell back to the chain's own listing: " + log);
    }
}
