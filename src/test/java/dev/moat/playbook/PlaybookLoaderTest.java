package dev.moat.playbook;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;
import dev.moat.yaml.YamlException;

class PlaybookLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private Playbook load(String yaml) throws Exception {
        return PlaybookLoader.load(write("site.yml", yaml), new FakeCatalog());
    }

    /** The error's message, which must start with site.yml:line:column. */
    private String error(String yaml, int line, int column) throws Exception {
        Path f = write("site.yml", yaml);
        YamlException e = assertThrows(YamlException.class, () -> PlaybookLoader.load(f, new FakeCatalog()));
        assertEquals(ExitCode.INVALID, e.exitCode());
        String prefix = f + ":" + line + ":" + column + ": ";
        assertTrue(e.getMessage().startsWith(prefix), "expected " + prefix + " in: " + e.getMessage());
        return e.getMessage().substring(prefix.length());
    }

    private static final String REALISTIC = """
            - name: Harden inference servers
              hosts: gpu:!staging
              become: yes
              serial: [1, "50%"]
              max_fail_percentage: 20
              rollback: block
              tags: [harden]
              vars:
                compose_bind: 127.0.0.1
                url: "http://{{ compose_bind }}:{{ port }}"
              vars_files:
                - vars/common.yml
              tasks:
                - name: Show where we are
                  debug: msg="host {{ inventory_hostname }} binds {{ compose_bind }}"
                  tags: debug
                - name: Config
                  ansible.builtin.copy:
                    dest: /etc/moat.conf
                    content: "bind={{ compose_bind }}\\n"
                    mode: "0644"
                  register: conf
                  notify: restart nginx
                - name: TLS vault
                  when: tls | bool
                  tags: [tls]
                  no_log: true
                  vars: { who: vault }
                  block:
                    - name: Per service
                      command: /usr/bin/certbot certonly -d {{ item.domain }} creates=/etc/letsencrypt/live/{{ item.domain }}
                      loop: "{{ vault_services }}"
                      loop_control: { loop_var: svc, label: "{{ svc.name }}" }
                      when: item.domain is defined
                      become_user: root
                    - shell: echo ok
                      changed_when: false
                      failed_when: [result.rc != 0, "'error' in result.stdout"]
                      ignore_errors: yes
                  rescue:
                    - debug: { var: conf }
                  always:
                    - assert: { that: ["conf is defined"], msg: checked }
                - name: Inline copy
                  copy: dest=/etc/x content="two words" mode=0600 backup=yes
                  loop: [a, b]
              handlers:
                - name: restart nginx
                  service: name=nginx state=restarted
                - name: reload
                  listen: restart nginx
                  command: nginx -s reload
            """;

    @Test
    void loadsARealisticPlaybook() throws Exception {
        write("vars/common.yml", "port: 8000\nvault_services: [{name: vllm, domain: a.example}]\n");
        Playbook pb = load(REALISTIC);
        assertEquals(1, pb.plays().size());
        Play p = pb.plays().get(0);
        assertEquals("Harden inference servers", p.name());
        assertEquals("gpu:!staging", p.hosts());
        assertEquals(true, p.become());
        assertEquals(List.of(new Serial(1, false), new Serial(50, true)), p.serial());
        assertEquals(List.of(1, 5, 5), p.batches(11));
        assertEquals(20, p.maxFailPercentage());
        assertEquals(Rollback.BLOCK, p.rollback());
        assertEquals("http://{{ compose_bind }}:{{ port }}", p.vars().get("url"));
        assertEquals(8000, p.filesVars().get("port"));
        assertEquals(List.of("vars/common.yml"), p.varsFiles());
        assertEquals(4, p.tasks().size());

        Task debug = (Task) p.tasks().get(0);
        assertEquals("debug", debug.module());
        assertEquals(Map.of("msg", "host {{ inventory_hostname }} binds {{ compose_bind }}"), debug.args());
        assertEquals(List.of("harden", "debug"), debug.tags());
        assertEquals(true, debug.become());
        assertEquals(dir.resolve("site.yml") + ":14:7", debug.mark().toString());

        Task copy = (Task) p.tasks().get(1);
        assertEquals("copy", copy.module());
        assertEquals("conf", copy.register());
        assertEquals(List.of("restart nginx"), copy.notifies());
        assertEquals("0644", copy.args().get("mode"));
        assertEquals(19, copy.argMark("dest").line());
        assertEquals(21, copy.argMark("mode").line());
        assertEquals(18, copy.moduleMark().line());

        Block vault = (Block) p.tasks().get(2);
        assertEquals("TLS vault", vault.name());
        assertEquals(List.of("tls | bool"), vault.when());
        assertEquals(2, vault.block().size());
        assertEquals(1, vault.rescue().size());
        assertEquals(1, vault.always().size());
        Task certbot = (Task) vault.block().get(0);
        assertEquals("command", certbot.module());
        assertEquals(Map.of("cmd", "/usr/bin/certbot certonly -d {{ item.domain }}",
                "creates", "/etc/letsencrypt/live/{{ item.domain }}"), certbot.args());
        assertEquals("{{ vault_services }}", certbot.loop());
        assertEquals(new LoopControl("svc", "{{ svc.name }}", null), certbot.loopControl());
        assertEquals(List.of("tls | bool", "item.domain is defined"), certbot.when());
        assertEquals(List.of("harden", "tls"), certbot.tags());
        assertTrue(certbot.noLog());
        assertEquals("root", certbot.becomeUser());
        assertEquals(Map.of("who", "vault"), certbot.vars());
        Task shell = (Task) vault.block().get(1);
        assertEquals("shell", shell.module());
        assertEquals(Map.of("cmd", "echo ok"), shell.args());
        assertEquals(List.of("False"), shell.changedWhen());
        assertEquals(List.of("result.rc != 0", "'error' in result.stdout"), shell.failedWhen());
        assertTrue(shell.ignoreErrors());
        assertEquals("shell", shell.displayName());
        Task asserted = (Task) vault.always().get(0);
        assertEquals(List.of("tls | bool"), asserted.when());
        assertTrue(asserted.noLog());

        Task inline = (Task) p.tasks().get(3);
        assertEquals(Map.of("dest", "/etc/x", "content", "two words", "mode", "0600", "backup", "yes"), inline.args());
        assertEquals(List.of("a", "b"), inline.loop());
        assertEquals(LoopControl.DEFAULT, inline.loopControl());

        assertEquals(2, p.handlers().size());
        assertEquals(List.of("restart nginx"), p.handlers().get(1).listen());
        assertEquals(Map.of("name", "nginx", "state", "restarted"), p.handlers().get(0).args());
        assertEquals(7, p.allTasks().size());
    }

    @Test
    void unknownModuleSuggestsTheClosest() throws Exception {
        assertEquals("unknown module 'cpy'; did you mean 'copy'?", error("""
                - hosts: all
                  tasks:
                    - name: x
                      cpy: { dest: /x, content: y }
                """, 4, 7));
        assertTrue(error("""
                - hosts: all
                  tasks:
                    - qqzx_frobnicate_widgets: {}
                """, 3, 7).startsWith("unknown module 'qqzx_frobnicate_widgets'; moat's modules: assert, command, copy, debug, htpasswd, service, shell"));
    }

    @Test
    void noModuleAndTwoModules() throws Exception {
        assertTrue(error("""
                - hosts: all
                  tasks:
                    - name: nothing here
                      when: true
                """, 3, 7).startsWith("task 'nothing here' has no module; moat's modules:"));
        assertEquals("a task has one module; this one has 'debug' and 'command'", error("""
                - hosts: all
                  tasks:
                    - debug: msg=hi
                      command: ls
                """, 4, 7));
    }

    @Test
    void unknownAndUnsupportedTaskKeywords() throws Exception {
        assertEquals("unknown task keyword 'whne'; did you mean 'when'? (the module is 'debug')", error("""
                - hosts: all
                  tasks:
                    - debug: msg=hi
                      whne: x
                """, 4, 7));
        assertEquals("a task has one loop; this one has 'loop' and 'with_items'", error("""
                - hosts: all
                  tasks:
                    - debug: msg=hi
                      loop: [1]
                      with_items: [1]
                """, 5, 7));
        assertEquals("'module_defaults' is not supported by moat", error("""
                - hosts: all
                  tasks:
                    - debug: msg=hi
                      module_defaults: {}
                """, 4, 7));
    }

    @Test
    void argumentErrors() throws Exception {
        assertEquals("copy: unknown argument 'dst'; did you mean 'dest'? (valid: dest, src, content, mode, owner, group, backup, validate)",
                error("""
                - hosts: all
                  tasks:
                    - copy:
                        dst: /x
                        content: y
                """, 4, 9));
        assertEquals("copy: missing required argument 'dest'", error("""
                - hosts: all
                  tasks:
                    - copy:
                        content: y
                """, 3, 7));
        assertEquals("copy: argument 'backup' is 'maybe'; expected a boolean (true/false, yes/no)", error("""
                - hosts: all
                  tasks:
                    - copy:
                        dest: /x
                        content: y
                        backup: maybe
                """, 6, 9));
        assertTrue(error("""
                - hosts: all
                  tasks:
                    - copy: { dest: /x, content: y, mode: "999" }
                """, 3, 37).startsWith("copy: argument 'mode' is '999'; expected a file mode"));
        assertEquals("copy: arguments [src, content] are mutually exclusive", error("""
                - hosts: all
                  tasks:
                    - copy:
                        dest: /x
                        src: a
                        content: y
                """, 6, 9));
        assertEquals("copy: one of [src, content] is required", error("""
                - hosts: all
                  tasks:
                    - copy: { dest: /x }
                """, 3, 7));
        assertEquals("service: argument 'state' is 'start'; expected one of [started, stopped, restarted, reloaded]", error("""
                - hosts: all
                  tasks:
                    - service: name=x state=start
                """, 3, 16));
        assertEquals("debug: argument 'verbosity' is 'lots'; expected an integer", error("""
                - hosts: all
                  tasks:
                    - debug: { msg: x, verbosity: lots }
                """, 3, 24));
    }

    @Test
    void templatedValuesAreCheckedAtRunTimeOnly() throws Exception {
        Playbook pb = load("""
                - hosts: all
                  tasks:
                    - copy: { dest: /x, content: y, backup: "{{ do_backup }}", mode: "{{ m }}" }
                    - service: { name: x, state: "{{ wanted }}" }
                """);
        assertEquals("{{ wanted }}", ((Task) pb.plays().get(0).tasks().get(1)).args().get("state"));
    }

    @Test
    void inlineArguments() throws Exception {
        assertEquals("copy: 'hello' is not key=value; copy takes no free-form argument (write key=value pairs or a mapping)", error("""
                - hosts: all
                  tasks:
                    - copy: hello dest=/x
                """, 3, 13));
        Playbook pb = load("""
                - hosts: all
                  tasks:
                    - command: chdir=/tmp ls -l "a b"
                    - shell: "echo {{ x | default('a b') }} > /tmp/out"
                    - debug:
                      args: { msg: from args }
                    - debug: msg=line
                      args: { msg: from args }
                    - command:
                      args: { cmd: ls, creates: /x }
                """);
        List<TaskItem> t = pb.plays().get(0).tasks();
        assertEquals(Map.of("chdir", "/tmp", "cmd", "ls -l \"a b\""), ((Task) t.get(0)).args());
        assertEquals(Map.of("cmd", "echo {{ x | default('a b') }} > /tmp/out"), ((Task) t.get(1)).args());
        assertEquals(Map.of("msg", "from args"), ((Task) t.get(2)).args());
        assertEquals(Map.of("msg", "line"), ((Task) t.get(3)).args());
        assertEquals(Map.of("cmd", "ls", "creates", "/x"), ((Task) t.get(4)).args());
        assertEquals("debug: cannot read the inline arguments: unclosed \" quote", error("""
                - hosts: all
                  tasks:
                    - debug: msg="open
                """, 3, 14));
    }

    @Test
    void whenAndLoopShapes() throws Exception {
        assertEquals("when: expected an expression (or a list of expressions), not a mapping", error("""
                - hosts: all
                  tasks:
                    - debug: msg=x
                      when: { a: 1 }
                """, 4, 13));
        assertEquals("loop: expected a list, or a template that gives one such as \"{{ items }}\", not a string (did you mean \"{{ servers }}\"?)",
                error("""
                - hosts: all
                  tasks:
                    - debug: msg=x
                      loop: servers
                """, 4, 13));
        assertTrue(error("""
                - hosts: all
                  tasks:
                    - debug: msg=x
                      loop: { a: 1 }
                """, 4, 13).endsWith("not a mapping (to loop over a mapping, write \"{{ m | dict2items }}\")"));
        assertEquals("loop_control: the task has no loop", error("""
                - hosts: all
                  tasks:
                    - debug: msg=x
                      loop_control: { loop_var: y }
                """, 4, 7));
        assertEquals("register: 'my-result' is not a valid variable name", error("""
                - hosts: all
                  tasks:
                    - debug: msg=x
                      register: my-result
                """, 4, 17));
        assertEquals("no_log: expected true or false, not 'sometimes'", error("""
                - hosts: all
                  tasks:
                    - debug: msg=x
                      no_log: sometimes
                """, 4, 15));
    }

    @Test
    void jinjaSyntaxErrorsAreFoundAtLoadTime() throws Exception {
        assertTrue(error("""
                - hosts: all
                  tasks:
                    - debug:
                        msg: "{{ a + }}"
                """, 4, 14).startsWith("template error in 'msg': "));
        assertEquals("when: no filter named 'boool' in 'x | boool'", error("""
                - hosts: all
                  tasks:
                    - debug: msg=x
                      when: x | boool
                """, 4, 13));
        assertTrue(error("""
                - hosts: all
                  vars:
                    a: "{% if x %}unclosed"
                  tasks: []
                """, 3, 8).startsWith("template error in 'a': Jinja syntax error"));
        assertTrue(error("""
                - hosts: all
                  tasks:
                    - debug: msg=x
                      loop: "{{ items | nosuch }}"
                """, 4, 13).startsWith("template error in 'loop': no filter named 'nosuch'"));
        assertTrue(error("""
                - hosts: all
                  tasks:
                    - name: "{{ broken( }}"
                      debug: msg=x
                """, 3, 13).startsWith("template error in 'name': "));
    }

    @Test
    void playErrors() throws Exception {
        assertEquals("a play needs 'hosts:' (a group, host or pattern such as 'gpu:!staging')", error("""
                - name: no hosts
                  tasks: []
                """, 1, 3));
        assertEquals("unknown play keyword 'task'; did you mean 'tasks'?", error("""
                - hosts: all
                  task: []
                """, 2, 3));
        assertEquals("unknown play keyword 'debug' ('debug' belongs to a task: put it under 'tasks:')", error("""
                - hosts: all
                  debug: msg=x
                """, 2, 3));
        assertTrue(error("""
                - hosts: all
                  roles: [x]
                """, 2, 11).startsWith("the role 'x' was not found in " + dir.resolve("roles")));
        assertEquals("serial: expected a number of hosts (5) or a percentage (\"20%\"), or a list of them, not 'lots'", error("""
                - hosts: all
                  serial: lots
                """, 2, 11));
        assertEquals("serial must be a positive number or a percentage 1%..100%, not 0", error("""
                - hosts: all
                  serial: 0
                """, 2, 11));
        assertEquals("max_fail_percentage: expected a number from 0 to 100, not '150'", error("""
                - hosts: all
                  max_fail_percentage: 150
                """, 2, 24));
        assertEquals("rollback: expected host, block or none", error("""
                - hosts: all
                  rollback: everything
                """, 2, 13));
        assertEquals("a playbook is a list of plays (each starting with '- hosts: ...'), not a mapping", error("""
                hosts: all
                tasks: []
                """, 1, 1));
        assertEquals("the playbook is empty; expected a list of plays", error("", 1, 1));
        assertEquals("vars: 'bad-name' is not a valid variable name (letters, digits and _, not starting with a digit)", error("""
                - hosts: all
                  vars:
                    bad-name: 1
                """, 3, 5));
    }

    @Test
    void varsFiles() throws Exception {
        assertEquals("vars_files: no such file " + dir.resolve("missing.yml"), error("""
                - hosts: all
                  vars_files:
                    - missing.yml
                """, 3, 7));
        write("list.yml", "- a\n");
        assertEquals("a vars file is a mapping of variables, not a list",
                assertThrows(YamlException.class, () -> load("""
                - hosts: all
                  vars_files: [list.yml]
                """)).getMessage().replace(dir.resolve("list.yml") + ":1:1: ", ""));
        write("a.yml", "x: 1\ny: a\n");
        write("b.yml", "y: b\n");
        Play p = load("""
                - hosts: all
                  vars_files: [a.yml, b.yml]
                """).plays().get(0);
        assertEquals(Map.of("x", 1, "y", "b"), p.filesVars());
    }

    @Test
    void notifyMustNameAHandler() throws Exception {
        assertEquals("notify: no handler named 'restart nignx' in this play; did you mean 'restart nginx'? (handlers: reload, restart nginx)",
                error("""
                - hosts: all
                  tasks:
                    - debug: msg=x
                      notify:
                        - restart nignx
                  handlers:
                    - name: restart nginx
                      command: nginx -s stop
                    - name: x
                      listen: reload
                      command: nginx -s reload
                """, 5, 11).replace(", x)", ")"));
    }

    @Test
    void blockErrors() throws Exception {
        assertEquals("'loop' is not allowed on a block (a block takes: always, any_errors_fatal, become, become_flags, become_method, "
                + "become_user, block, check_mode, collections, delegate_facts, delegate_to, diff, environment, ignore_errors, name, no_log, notify, remote_user, rescue, rollback, "
                + "run_once, tags, throttle, vars, when)", error("""
                - hosts: all
                  tasks:
                    - block:
                        - debug: msg=x
                      loop: [1]
                """, 5, 7));
        assertEquals("block: expected a non-empty list of tasks", error("""
                - hosts: all
                  tasks:
                    - block: []
                """, 3, 14));
        assertEquals("listen: only handlers listen", error("""
                - hosts: all
                  tasks:
                    - debug: msg=x
                      listen: y
                """, 4, 7));
    }

    @Test
    void fullyQualifiedNames() throws Exception {
        Playbook pb = load("""
                - hosts: all
                  tasks:
                    - ansible.builtin.command: ls
                    - ansible.legacy.debug: msg=x
                """);
        assertEquals("command", ((Task) pb.plays().get(0).tasks().get(0)).module());
        assertEquals("debug", ((Task) pb.plays().get(0).tasks().get(1)).module());
    }
}
