package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The login user as Ansible chooses it: the host's {@code ansible_user}, else the play's
 * {@code remote_user}, else {@code -u} / ansible.cfg's {@code remote_user} (which the CLI passes as
 * {@link Runner#DEFAULT_USER}); each case as ansible-playbook answered it on the testbed
 * ({@code src/test/resources/keywords/remote-user.txt}).
 */
class RemoteUserPrecedenceTest {
    @Test
    void theLoginUserIsAnsiblesForEveryRecordedCase() throws Exception {
        int cases = 0;
        for (String line : Files.readAllLines(Path.of("src/test/resources/keywords/remote-user.txt"))) {
            if (line.startsWith("#")) continue;
            String[] f = line.split("\t");
            Map<String, Object> vars = new LinkedHashMap<>();
            if (!f[1].equals("-")) vars.put("ansible_user", f[1]);
            vars.put(Runner.DEFAULT_USER, f[3].split(" ")[0]);
            String play = f[2].equals("-") ? null : f[2];
            assertEquals(f[4], Runner.connectionVars(vars, play).get("ansible_user"), "case " + f[0]);
            cases++;
        }
        assertEquals(5, cases);
    }

    @Test
    void noUserNamedAnywhereLeavesItToSsh() {
        assertEquals(null, Runner.connectionVars(Map.of("ansible_host", "10.0.0.1"), null).get("ansible_user"));
    }
}
