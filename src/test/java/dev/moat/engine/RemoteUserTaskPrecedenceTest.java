package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;
import dev.moat.transport.Command;

/**
 * Who a task logs in as, for every case ansible-playbook answered on the testbed
 * ({@code src/test/resources/keywords/remote-user-task.txt}): each case's play runs on a simulated
 * host, and the connection its command went over (and whether through sudo) must give Ansible's
 * {@code whoami}.
 */
class RemoteUserTaskPrecedenceTest {
    @TempDir Path tmp;

    @Test
    void eachTaskLogsInAsAnsiblesDidForEveryRecordedCase() throws Exception {
        int cases = 0;
        for (String line : Files.readAllLines(Path.of("src/test/resources/keywords/remote-user-task.txt"))) {
            if (line.startsWith("#")) continue;
            String[] f = line.split("\t");
            Map<String, Object> vars = new LinkedHashMap<>();
            if (!f[1].equals("-")) vars.put("ansible_user", f[1]);
            if (!f[2].equals("-")) vars.put(Runner.DEFAULT_USER, f[2]);
            String task = "    - command: whoami\n" + (f[5].equals("-") ? "" : "      remote_user: \"" + f[5] + "\"\n")
                    + (f[6].equals("yes") ? "      become: true\n" : "");
            String tasks = f[4].equals("-") ? task : "    - block:\n" + task.replaceAll("(?m)^", "    ") + "      remote_user: " + f[4] + "\n";
            String play = "- hosts: all\n  vars: {who: deploy}\n" + (f[3].equals("-") ? "" : "  remote_user: " + f[3] + "\n") + "  tasks:\n" + tasks;
            LocalRun r = new LocalRun(Files.createDirectories(tmp.resolve(f[0])));
            r.hostVars = vars;
            assertEquals(ExitCode.OK, r.run(play, "h1"), "case " + f[0] + ": " + r.results);
            List<Map.Entry<LocalTransport, Command>> ran = new java.util.ArrayList<>();
            for (LocalTransport t : r.transports.values()) {
                for (Command c : t.commands) if (c.script().contains("whoami")) ran.add(Map.entry(t, c));
            }
            assertEquals(1, ran.size(), "case " + f[0] + ": the command ran once");
            LocalTransport t = ran.get(0).getKey();
            boolean sudo = ran.get(0).getValue().become();
            String whoami = sudo ? "root (" + t.user + ")" : t.user;
            assertEquals(f[7], whoami, "case " + f[0] + ": " + line);
            cases++;
        }
        assertTrue(cases >= 8, "cases: " + cases);
    }
}
