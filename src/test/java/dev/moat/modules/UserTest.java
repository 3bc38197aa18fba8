package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Diff;
import dev.moat.module.Plan;
import dev.moat.module.Risk;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.modules.system.UserFact;

/** The user and group modules' decisions from account fixtures, and against Ansible's recorded answers. */
class UserTest {
    final User user = new User();
    static final Path REC = Path.of("src/test/resources/ansible-user");
    static final String GROUPS = "@@group root:0:\n@@group daemon:1:\n@@group adm:4:ops\n@@group docker:998:ops,ci\n@@group ops:1000:\n";
    static final String OPS = "@@passwd ops:x:1000:1000:Ops:/home/ops:/bin/bash\n@@hash " + User.digest("$6$salt$old") + "\n" + GROUPS + "@@home\n";
    static final String NONE = GROUPS;

    private Plan plan(Map<String, Object> args, String fact) throws Exception {
        return plan(args, fact, FakeContext.apply().var("ansible_user", "admin"));
    }

    private Plan plan(Map<String, Object> args, String fact, FakeContext ctx) throws Exception {
        User.UserArgs a = LocalHost.bind(user, args);
        FakeFacts f = new FakeFacts().put(new UserFact(a.name(), a.home() != null ? a.home() : "/home/" + a.name()).key(), fact);
        return user.plan(a, f, ctx);
    }

    private static List<String> scripts(Plan p) {
        return p.steps().stream().map(Step::script).toList();
    }

    @Test
    void matchesAnsiblesRecordedCheckResults() throws Exception {
        StringBuilder fact = new StringBuilder();
        for (String g : Files.readAllLines(REC.resolve("group"))) fact.append("@@group ").append(g.replaceFirst("^([^:]*):[^:]*:", "$1:")).append('\n');
        Map<String, String> passwd = new LinkedHashMap<>();
        for (String l : Files.readAllLines(REC.resolve("passwd"))) passwd.put(l.substring(0, l.indexOf(':')), l);
        List<String> lines = Files.readAllLines(REC.resolve("check-results.txt"));
        ObjectMapper json = new ObjectMapper();
        int cases = 0;
        for (int i = 0; i < lines.size(); i += 2) {
            Map<String, Object> args = new LinkedHashMap<>();
            Matcher m = Pattern.compile("(\\w+)=(\\S+)").matcher(lines.get(i).substring("args: ".length()));
            while (m.find()) args.put(m.group(1), m.group(2));
            @SuppressWarnings("unchecked")
            Map<String, Object> want = json.readValue(lines.get(i + 1).substring("result: ".length()), Map.class);
            String name = (String) args.get("name");
            String f = (passwd.containsKey(name) ? "@@passwd " + passwd.get(name) + "\n" : "") + fact;
            Plan p = plan(args, f, FakeContext.checkMode().var("ansible_user", "admin"));
            assertEquals(want.remove("changed"), p.changes(), lines.get(i));
            assertEquals(want, p.result(), lines.get(i));
            cases++;
        }
        assertEquals(5, cases);
    }

    @Test
    void createsAUserWithAnsiblesOptionsAndJournalsTheAccountFiles() throws Exception {
        Plan p = plan(Map.of("name", "ci", "uid", 1500, "groups", List.of("docker", "adm"), "shell", "/bin/bash", "comment", "CI runner"), NONE);
        assertEquals(List.of("useradd -u 1500 -G docker,adm -c 'CI runner' -s /bin/bash -m ci\n"), scripts(p));
        assertEquals(List.of(new Undo.RestorePath("/etc/passwd"), new Undo.RestorePath("/etc/shadow"), new Undo.RestorePath("/etc/group"),
                new Undo.RestorePath("/etc/gshadow"), new Undo.RestorePath("/etc/subuid"), new Undo.RestorePath("/etc/subgid"),
                new Undo.RestorePath("/home/ci")), p.undo());
        assertFalse(p.risks().contains(Risk.SSH));
        // A later task writing into the new home reads its parent again (differential harness: copy into /home/alice).
        assertTrue(dev.moat.module.FactKeys.invalidates(p.touches().stream().filter(t -> t.endsWith("/home/ci")).findFirst().orElse("none"),
                "file:/home/ci/NOTE"), p.touches().toString());
        // A group named like the user already exists: -N, as Ansible; a system user: no sub-ids.
        Plan sys = plan(Map.of("name", "ops", "system", true, "create_home", false), NONE);
        assertEquals(List.of("useradd -N -M -r ops\n"), scripts(sys));
        assertEquals(4, sys.undo().size());
    }

    @Test
    void modifiesOnlyWhatDiffers() throws Exception {
        assertFalse(plan(Map.of("name", "ops", "shell", "/bin/bash", "groups", List.of("adm", "docker")), OPS).changes());
        assertFalse(plan(Map.of("name", "ops", "groups", List.of("docker"), "append", true), OPS).changes());
        assertEquals(List.of("usermod -G docker ops\n"), scripts(plan(Map.of("name", "ops", "groups", List.of("docker")), OPS)));
        assertEquals(List.of("usermod -a -G sudo ops\n"), scripts(plan(Map.of("name", "ops", "groups", "sudo", "append", true), OPS.replace("@@group ops", "@@group sudo:27:\n@@group ops"))));
        assertEquals(List.of("usermod -G '' ops\n"), scripts(plan(Map.of("name", "ops", "groups", ""), OPS)), "groups: '' removes them all");
        Plan shell = plan(Map.of("name", "ops", "shell", "/usr/sbin/nologin", "uid", 1001), OPS);
        assertEquals(List.of("usermod -u 1001 -s /usr/sbin/nologin ops\n"), scripts(shell));
        assertEquals(List.of(Diff.of("user ops", "uid 1000, group ops, groups adm,docker, home /home/ops, shell /bin/bash, comment 'Ops'\n",
                "uid 1001, group ops, groups adm,docker, home /home/ops, shell /usr/sbin/nologin, comment 'Ops'\n")), shell.diffs());
    }

    @Test
    void thePasswordHashIsASecretComparedByDigest() throws Exception {
        assertFalse(plan(Map.of("name", "ops", "password", "$6$salt$old"), OPS).changes());
        assertFalse(plan(Map.of("name", "ops", "password", "$6$salt$new", "update_password", "on_create"), OPS).changes());
        Plan p = plan(Map.of("name", "ops", "password", "$6$salt$new", "password_lock", true), OPS);
        Step s = p.steps().get(0);
        assertEquals("chpasswd -e\nusermod -L ops\n", s.script());
        assertEquals("ops:$6$salt$new\n", new String(s.stdin(), StandardCharsets.UTF_8));
        assertTrue(s.sensitive());
        assertFalse(s.toString().contains("$6$"), s.toString());
        assertFalse(p.diffs().toString().contains("$6$salt$new"));
        assertTrue(p.diffs().get(0).after().contains("password hash changed (not shown)"));
        assertFalse(user.bind(dev.moat.module.Args.check(User.SPEC, Map.of("name", "ops", "password", "$6$x"))).toString().contains("$6$"));
        assertTrue(User.SPEC.find("password").orElseThrow().secret());
    }

    @Test
    void removesAndMarksTheHomeIrreversible() throws Exception {
        assertFalse(plan(Map.of("name", "gone", "state", "absent"), NONE).changes());
        Plan p = plan(Map.of("name", "ops", "state", "absent", "remove", true, "force", true), OPS);
        assertEquals(List.of("userdel -f -r ops"), scripts(p));
        assertEquals(new Undo.Irreversible("home directory /home/ops of user ops removed"), p.undo().get(p.undo().size() - 1));
    }

    @Test
    void guardsTheLoginUsersAndRefusesBadInput() throws Exception {
        assertTrue(plan(Map.of("name", "ops", "shell", "/usr/sbin/nologin"), OPS, FakeContext.apply().var("ansible_user", "ops")).risks().contains(Risk.SSH));
        assertEquals("name", assertThrows(ArgException.class, () -> LocalHost.bind(user, Map.of("name", "-o"))).arg());
        assertEquals("shell", assertThrows(ArgException.class, () -> LocalHost.bind(user, Map.of("name", "a", "shell", "bash"))).arg());
        ArgException pw = assertThrows(ArgException.class, () -> LocalHost.bind(user, Map.of("name", "a", "password", "se:cret")));
        assertFalse(pw.getMessage().contains("se:cret"));
        assertEquals("Group nosuch does not exist", assertThrows(TaskException.class, () -> plan(Map.of("name", "ops", "group", "nosuch"), OPS)).getMessage());
    }

    @Test
    void theFactReadsThisMachinesRootWithoutItsHash() throws Exception {
        UserFact f = new UserFact("root", "/root");
        var out = LocalHost.sh(f.script(), null);
        assertFalse(out.text().contains("$"), "no hash crosses the wire");
        var s = f.parse(out);
        assertTrue(s.exists());
        assertEquals(0, s.uid());
        assertTrue(s.homeExists());
        assertFalse(new UserFact("nosuchmoatuser", "/home/nosuchmoatuser").parse(LocalHost.sh(new UserFact("nosuchmoatuser", "/home/nosuchmoatuser").script(), null)).exists());
    }

    @Test
    void groups() throws Exception {
        Group group = new Group();
        Group.GroupArgs a = LocalHost.bind(group, Map.of("name", "gpu", "gid", 2000, "system", true));
        Plan add = group.plan(a, new FakeFacts().put("account:/etc/passwd/group/gpu", ""), FakeContext.apply());
        assertEquals(List.of("groupadd -g 2000 -r gpu"), scripts(add));
        assertEquals(List.of(new Undo.RestorePath("/etc/group"), new Undo.RestorePath("/etc/gshadow")), add.undo());
        assertFalse(group.plan(a, new FakeFacts().put("account:/etc/passwd/group/gpu", "2000\n"), FakeContext.apply()).changes());
        assertEquals(List.of("groupmod -g 2000 gpu"), scripts(group.plan(a, new FakeFacts().put("account:/etc/passwd/group/gpu", "1999\n"), FakeContext.apply())));
        Group.GroupArgs rm = LocalHost.bind(group, Map.of("name", "gpu", "state", "absent"));
        assertEquals(List.of("groupdel gpu"), scripts(group.plan(rm, new FakeFacts().put("account:/etc/passwd/group/gpu", "1999\n"), FakeContext.apply())));
        assertEquals("name", assertThrows(ArgException.class, () -> LocalHost.bind(group, Map.of("name", "-g"))).arg());
        var gf = new dev.moat.modules.system.GroupFact("root");
        assertEquals(0, gf.parse(LocalHost.sh(gf.script(), null)));
    }
}
