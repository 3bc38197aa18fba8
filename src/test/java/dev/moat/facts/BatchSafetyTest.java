package dev.moat.facts;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.modules.LocalHost;

/**
 * The engine runs many facts' snippets in one shell script. Every snippet must therefore leave the
 * shell running (no {@code exit}), not read stdin, and print the same thing inside a batch as alone.
 */
class BatchSafetyTest {
    @TempDir
    Path dir;

    @Test
    void everyFactScriptRunsInOneShellAfterAnother() throws Exception {
        Path f = Files.writeString(dir.resolve("a file"), "content\n");
        List<Fact<?>> facts = List.of(new FileFact(f.toString()), new FileFact(dir.resolve("missing").toString()),
                new FileFact(dir.toString()), new ExistsFact(f.toString()), new TreeFact(dir.toString()),
                new PackageFact("coreutils"), new PackageFact("moat-none"), new AptPolicyFact("coreutils"),
                new AptCacheFact(), new ServiceFact("moat-none"), new ServiceFact("ssh"));
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < facts.size(); i++) {
            batch.append("{\n").append(facts.get(i).script()).append("\n} >").append(dir).append("/out.").append(i)
                    .append(" 2>/dev/null\necho \"rc ").append(i).append(" $?\"\n");
        }
        batch.append("echo end\n");
        FactOutput run = LocalHost.sh(batch.toString(), "stdin must stay unread\n".getBytes());
        assertTrue(run.text().endsWith("end\n"), "a snippet ended the shell: " + run.text());
        for (int i = 0; i < facts.size(); i++) {
            Fact<?> fact = facts.get(i);
            assertTrue(run.text().contains("rc " + i + " 0\n"), fact.key() + " failed: " + run.text());
            byte[] inBatch = Files.readAllBytes(dir.resolve("out." + i));
            Object parsed = fact.parse(new FactOutput(0, inBatch, new byte[0]));
            Object alone = fact.parse(LocalHost.read(fact));
            if (fact instanceof FileFact) {
                FileState a = (FileState) parsed;
                FileState b = (FileState) alone;
                assertEquals(a.type(), b.type());
                assertEquals(a.sha256(), b.sha256());
            } else if (!(fact instanceof TreeFact) && !(fact instanceof AptCacheFact)) {
                assertEquals(alone, parsed, fact.key());
            }
        }
    }
}
