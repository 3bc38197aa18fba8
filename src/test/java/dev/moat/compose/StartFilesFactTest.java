package dev.moat.compose;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * StartFilesFact's script reads Exec lines with the shell and greps before it counts bytes; the
 * script it replaced (sed for the Exec lines, wc first) is kept here as the reference: on the same
 * files both must print the same bytes.
 */
class StartFilesFactTest {
    /** The script before the change, as it was sent (commit 742ced1). */
    private static final String REFERENCE = "emit() {\n"
            + "  [ -f \"$1\" ] || return 0\n"
            + "  n=$(wc -c < \"$1\" 2>/dev/null) || return 0\n"
            + "  [ \"$n\" -le 262144 ] && grep -q docker \"$1\" 2>/dev/null || return 0\n"
            + "  printf '@@file\\t%s\\t%s\\t%s\\n' \"$n\" \"$1\" \"$2\"; cat -- \"$1\"\n"
            + "}\n"
            + "for f in /etc/systemd/system/*.service /etc/systemd/system/*.service.d/*.conf; do\n"
            + "  [ -f \"$f\" ] || continue\n"
            + "  u=${f#/etc/systemd/system/}; u=${u%%.d/*}\n"
            + "  emit \"$f\" \"$u\"\n"
            + "  sed -n 's/^[[:space:]]*Exec[A-Za-z]*=[-@+!:]*\\(\\/[^[:space:]]*\\).*/\\1/p' \"$f\" 2>/dev/null | while IFS= read -r x; do\n"
            + "    case \"$x\" in */docker|*/sh|*/bash|*/dash|*/env) continue;; esac\n"
            + "    emit \"$x\" \"$u\"\n"
            + "  done\n"
            + "done\n"
            + "emit /etc/rc.local ''\n"
            + "exit 0\n";

    /** The script before one grep -l replaced the grep -q per file (commit 048d03e). */
    private static final String PER_FILE = "emit() {\n"
            + "  [ -f \"$1\" ] || return 0\n"
            + "  grep -q docker \"$1\" 2>/dev/null || return 0\n"
            + "  n=$(wc -c < \"$1\" 2>/dev/null) || return 0\n"
            + "  [ \"$n\" -le 262144 ] || return 0\n"
            + "  printf '@@file\\t%s\\t%s\\t%s\\n' \"$n\" \"$1\" \"$2\"; cat -- \"$1\"\n"
            + "}\n"
            + "for f in /etc/systemd/system/*.service /etc/systemd/system/*.service.d/*.conf; do\n"
            + "  [ -f \"$f\" ] || continue\n"
            + "  u=${f#/etc/systemd/system/}; u=${u%%.d/*}\n"
            + "  emit \"$f\" \"$u\"\n"
            + "  [ -r \"$f\" ] || continue\n"
            + "  while IFS= read -r l || [ -n \"$l\" ]; do\n"
            + "    l=${l#\"${l%%[![:space:]]*}\"}\n"
            + "    case $l in Exec*=*) ;; *) continue;; esac\n"
            + "    k=${l%%=*}; k=${k#Exec}\n"
            + "    case $k in *[!A-Za-z]*) continue;; esac\n"
            + "    x=${l#*=}; x=${x#\"${x%%[!@+!:-]*}\"}\n"
            + "    case $x in /*) x=${x%%[[:space:]]*};; *) continue;; esac\n"
            + "    case \"$x\" in */docker|*/sh|*/bash|*/dash|*/env) continue;; esac\n"
            + "    emit \"$x\" \"$u\"\n"
            + "  done <\"$f\"\n"
            + "done\n"
            + "emit /etc/rc.local ''\n"
            + "exit 0\n";

    @Test
    void oneGrepPrintsWhatAGrepPerFilePrinted(@TempDir Path d) throws Exception {
        Path units = Files.createDirectories(d.resolve("units"));
        Path bin = Files.createDirectories(d.resolve("bin"));
        Files.writeString(bin.resolve("start"), "#!/bin/sh\nexec docker run -p 8000:8000 vllm\n");
        Files.write(bin.resolve("elf"), "\u007fELF\0\0 docker \0 run".getBytes(StandardCharsets.ISO_8859_1));
        Files.write(bin.resolve("elf-plain"), "\u007fELF\0\0 nothing \0".getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(bin.resolve("big"), "docker\n" + "x".repeat(262_200));
        Files.writeString(bin.resolve("edge"), "x".repeat(262_137) + "docker\n");  // exactly 262144 bytes
        Files.writeString(units.resolve("a.service"), "[Service]\nExecStart=" + bin.resolve("start") + "\nExecStartPre=" + bin.resolve("elf")
                + "\nExecStop=" + bin.resolve("elf-plain") + "\nExecReload=" + bin.resolve("big") + "\nExecStopPost=" + bin.resolve("edge") + "\n");
        Files.writeString(units.resolve("b.service"), "[Service]\nExecStart=" + bin.resolve("start") + " again\n# docker in a comment\n");
        Files.writeString(units.resolve("c.service"), "[Service]\nExecStart=/bin/true\n");
        Files.createDirectories(units.resolve("c.service.d"));
        Files.writeString(units.resolve("c.service.d/docker.conf"), "[Service]\nEnvironment=DOCKER_HOST=unix:///run/docker.sock\nExecStart=" + bin.resolve("start") + "\n");
        Files.createSymbolicLink(units.resolve("link.service"), units.resolve("b.service"));
        Path rc = d.resolve("rc.local");
        Files.writeString(rc, "#!/bin/sh\ndocker start vllm\n");
        String expected = run(PER_FILE, units, rc);
        assertEquals(expected, run(new StartFilesFact().script(), units, rc));
        List<StartFilesFact.StartFile> files = StartFilesFact.parse(expected.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(List.of(bin + "/start", bin + "/elf", bin + "/edge", units + "/b.service", units + "/link.service", units + "/c.service.d/docker.conf", rc.toString()),
                files.stream().map(StartFilesFact.StartFile::path).toList());
        // A unit name with a tab cannot be a PATH<TAB>UNIT record: the grep per file answers.
        Files.writeString(units.resolve("tab\there.service"), "[Service]\nExecStart=/usr/bin/docker start x\n");
        String tab = run(PER_FILE, units, rc);
        assertTrue(tab.contains("tab\there.service"), tab);
        assertEquals(tab, run(new StartFilesFact().script(), units, rc));
    }

    private static String run(String script, Path units, Path rc) throws Exception {
        String s = script.replace("/etc/systemd/system", units.toString()).replace("/etc/rc.local", rc.toString());
        Process p = new ProcessBuilder("sh", "-c", s).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertEquals(0, p.waitFor(), err);
        assertEquals("", err);
        return out;
    }

    @Test
    void printsWhatTheSedAndWcScriptPrinted(@TempDir Path d) throws Exception {
        Path units = Files.createDirectories(d.resolve("units"));
        Path bin = Files.createDirectories(d.resolve("bin"));
        Files.writeString(bin.resolve("start-ollama"), "#!/bin/sh\nexec docker run -p 11434:11434 ollama/ollama\n");
        Files.writeString(bin.resolve("plain"), "#!/bin/sh\necho hi\n");
        Files.write(bin.resolve("big"), ("docker\n" + "x".repeat(300_000)).getBytes(StandardCharsets.US_ASCII));
        Files.writeString(bin.resolve("crlf"), "docker run\r\n");
        Files.writeString(units.resolve("ollama.service"), "[Service]\n"
                + "ExecStartPre=-@" + bin.resolve("plain") + " arg\n"
                + "  ExecStart=!!" + bin.resolve("start-ollama") + "\n"
                + "\tExecStop=" + bin.resolve("big") + "\targ\n"
                + "#ExecStart=" + bin.resolve("plain") + "\n"
                + "ExecStart = " + bin.resolve("plain") + "\n"
                + "Exec=" + bin.resolve("crlf") + "\r\n"
                + "ExecReload=/usr/bin/env docker kill -s HUP x\n"
                + "ExecStartPost=relative/path\n"
                + "Exec2Start=" + bin.resolve("plain") + "\n"
                + "ExecStopPost=" + bin.resolve("missing") + "\n"
                + "ExecStart=" + bin.resolve("start-ollama") + "\n");
        Files.writeString(units.resolve("plain.service"), "[Service]\nExecStart=" + bin.resolve("plain") + "\n");
        Files.writeString(units.resolve("docker-app.service"), "[Service]\nExecStart=/usr/bin/docker start -a app\n");
        Path dropin = Files.createDirectories(units.resolve("plain.service.d"));
        Files.writeString(dropin.resolve("override.conf"), "[Service]\nExecStart=\nExecStart=" + bin.resolve("start-ollama") + " --gpu\n");
        Files.createDirectories(units.resolve("dir.service"));
        Path rc = d.resolve("rc.local");
        Files.writeString(rc, "#!/bin/sh\ndocker start vllm\n");
        String expected = run(REFERENCE, units, rc);
        assertEquals(expected, run(new StartFilesFact().script(), units, rc));
        // The reference saw the scripts and units this test means it to see.
        List<StartFilesFact.StartFile> files = StartFilesFact.parse(expected.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(List.of(units.resolve("docker-app.service").toString(), units.resolve("ollama.service").toString(), bin.resolve("start-ollama").toString(),
                bin.resolve("crlf").toString(), rc.toString()), files.stream().map(StartFilesFact.StartFile::path).toList());
    }

    @Test
    void anExecOnALastLineWithoutNewlineIsRead(@TempDir Path d) throws Exception {
        // The one difference, on purpose: sed | while read dropped such a line (read fails on it).
        Path units = Files.createDirectories(d.resolve("units"));
        Path script = d.resolve("start-vllm");
        Files.writeString(script, "#!/bin/sh\ndocker run -p 8000:8000 vllm\n");
        Files.writeString(units.resolve("vllm.service"), "[Service]\nExecStart=" + script);
        Path rc = d.resolve("rc.local");
        assertEquals("", run(REFERENCE, units, rc));
        assertEquals("@@file\t" + Files.size(script) + "\t" + script + "\tvllm.service\n" + Files.readString(script),
                run(new StartFilesFact().script(), units, rc));
    }

    @Test
    void noUnitsNoOutput(@TempDir Path d) throws Exception {
        Path units = Files.createDirectories(d.resolve("units"));
        assertEquals("", run(new StartFilesFact().script(), units, d.resolve("rc.local")));
        assertEquals("", run(REFERENCE, units, d.resolve("rc.local")));
    }
}
