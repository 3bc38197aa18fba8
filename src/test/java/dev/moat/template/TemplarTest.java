package dev.moat.template;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplarTest {
    @TempDir
    Path dir;

    private final Secrets secrets = new Secrets();

    private Templar t() {
        return new Templar(dir, secrets);
    }

    private static Vars vars() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("port", 8000);
        v.put("name", "vllm");
        v.put("ports", List.of(8000, 11434));
        Map<String, Object> svc = new LinkedHashMap<>();
        svc.put("name", "ollama");
        svc.put("port", 11434);
        v.put("svc", svc);
        v.put("services", List.of(Map.of("name", "a", "port", 1, "on", true), Map.of("name", "b", "port", 2, "on", false)));
        v.put("nothing", null);
        v.put("flag", true);
        v.put("blank", "");
        return Vars.of(v);
    }

    private Object r(String s) {
        return t().render(s, vars());
    }

    private TemplateException fails(String s) {
        return assertThrows(TemplateException.class, () -> t().render(s, vars()), s);
    }

    @Test
    void nativeTypesForASingleExpression() {
        assertEquals(8000, r("{{ port }}"));
        assertEquals(List.of(8000, 11434), r("{{ ports }}"));
        assertEquals(Map.of("name", "ollama", "port", 11434), r("{{ svc }}"));
        assertEquals(true, r("{{ flag }}"));
        assertEquals(8001, r("{{ port + 1 }}"));
        assertNull(r("{{ nothing }}"));
        assertEquals("8000", r("{{ port | string }}"));
    }

    @Test
    void stringsOtherwise() {
        assertEquals("port 8000", r("port {{ port }}"));
        assertEquals(" 8000", r(" {{ port }}"));
        assertEquals("8000-11434", r("{{ ports[0] }}-{{ ports[1] }}"));
        assertEquals("no template", r("no template"));
        assertEquals("yes", r("{% if flag %}yes{% endif %}"));
        assertEquals("a,b,", r("{% for s in services %}{{ s.name }},{% endfor %}"));
    }

    @Test
    void rendersListsAndMapsRecursively() {
        Object out = t().render(Map.of("k", List.of("{{ port }}", "x{{ name }}"), "n", 5), vars());
        assertEquals(Map.of("k", List.of(8000, "xvllm"), "n", 5), out);
    }

    @Test
    void undefinedVariablesAreErrorsNamingThem() {
        for (String s : List.of("{{ foo }}", "x {{ foo }} y", "{{ foo.bar }}", "{{ foo | upper }}", "{{ foo ~ 'x' }}",
                "{{ 'x' ~ foo }}", "{{ foo | length }}", "{{ foo | join(',') }}", "{% if foo %}y{% endif %}",
                "{% for x in foo %}{{ x }}{% endfor %}", "{{ foo == 1 }}", "{{ foo + 1 }}", "{{ [1, foo] }}",
                "{{ {'a': foo} }}", "{{ port | default(foo) }}x{{ foo }}", "{{ foo | to_json }}", "{{ not foo }}")) {
            TemplateException e = fails(s);
            assertEquals("undefined variable 'foo'", e.getMessage(), s);
            assertEquals("foo", e.variable(), s);
        }
    }

    @Test
    void missingKeysAndIndexesAreErrors() {
        assertTrue(fails("{{ svc.nope }}").getMessage().contains("'nope'"));
        assertTrue(fails("{{ svc['nope'] }}").getMessage().contains("'nope'"));
        assertTrue(fails("{{ ports[5] }}").getMessage().contains("out of range"));
    }

    @Test
    void defaultAndDefinedHandleUndefined() {
        assertEquals("d", r("{{ foo | default('d') }}"));
        assertEquals("d", r("{{ foo | d('d') }}"));
        assertEquals("d", r("{{ foo.bar.baz | default('d') }}"));
        assertEquals("d", r("{{ svc.nope | default('d') }}"));
        assertEquals(8000, r("{{ port | default(1) }}"));
        assertEquals("", r("{{ blank | default('e') }}"));
        assertEquals("e", r("{{ blank | default('e', true) }}"));
        assertEquals("e", r("{{ blank | default('e', boolean=true) }}"));
        assertNull(r("{{ nothing | default('x') }}"));
        assertEquals(false, r("{{ foo is defined }}"));
        assertEquals(true, r("{{ foo is undefined }}"));
        assertEquals(true, r("{{ foo is not defined }}"));
        assertEquals(true, r("{{ nothing is defined }}"));
        assertEquals(false, r("{{ svc.nope is defined }}"));
        assertEquals(true, r("{{ svc.name is defined }}"));
        assertEquals(false, r("{{ foo.bar is defined }}"));
        assertEquals("n", r("{% if foo is defined %}y{% else %}n{% endif %}"));
        assertNull(r("{{ foo | default(none) | default('z') }}"));
    }

    @Test
    void mandatory() {
        assertEquals(8000, r("{{ port | mandatory }}"));
        assertEquals("mandatory variable 'foo' is not defined", fails("{{ foo | mandatory }}").getMessage());
        assertEquals("set foo!", fails("{{ foo | mandatory('set foo!') }}").getMessage());
    }

    @Test
    void pythonLiteralsAndIn() {
        assertEquals(true, r("{{ True }}"));
        assertEquals(false, r("{{ False }}"));
        assertNull(r("{{ None }}"));
        assertEquals(true, r("{{ 8000 in ports }}"));
        assertEquals(false, r("{{ 1 in ports }}"));
        assertEquals(true, r("{{ 'll' in 'ollama' }}"));
        assertEquals(true, r("{{ 'name' in svc }}"));
        assertEquals(true, r("{{ 1 not in ports }}"));
    }

    @Test
    void jinjavaNativeFiltersWeRelyOn() {
        assertEquals("8000,11434", r("{{ ports | join(',') }}"));
        assertEquals(List.of("a", "b"), r("{{ services | map(attribute='name') | list }}"));
        assertEquals(List.of("8000", "11434"), r("{{ ports | map('string') | list }}"));
        assertEquals(List.of("a"), r("{{ services | selectattr('on') | map(attribute='name') | list }}"));
        assertEquals(List.of("b"), r("{{ services | selectattr('port', 'equalto', 2) | map(attribute='name') | list }}"));
        assertEquals(List.of("b"), r("{{ services | rejectattr('on') | map(attribute='name') | list }}"));
        assertEquals(List.of(1, 2), r("{{ [1, 2, 1, 2] | unique | list }}"));
        assertEquals(2, r("{{ ports | length }}"));
        assertEquals(4, r("{{ 'vllm' | length }}"));
        assertEquals(43, r("{{ '42' | int + 1 }}"));
        assertEquals("VLLM", r("{{ name | upper }}"));
        assertEquals("a b", r("{{ 'a-b' | replace('-', ' ') }}"));
        assertEquals(List.of(0, 1, 2), r("{{ range(3) | list }}"));
        assertEquals("a", r("{{ ['b', 'a'] | sort | first }}"));
        assertEquals("  x", r("{{ 'x' | indent(2, true) }}"));
    }

    @Test
    void ansibleFilters() {
        assertEquals("{\"a\": 1, \"b\": [1, 2]}", r("{{ {'a': 1, 'b': [1, 2]} | to_json }}"));
        assertEquals("{\n    \"a\": 1,\n    \"b\": 2\n}", r("{{ {'b': 2, 'a': 1} | to_nice_json }}"));
        assertEquals("a: 1\nb: [x]\n", r("{{ {'a': 1, 'b': ['x']} | to_yaml }}")); // PyYAML's flow style for a list of scalars
        assertEquals(Map.of("a", List.of(1, 2)), r("{{ '{\"a\": [1, 2]}' | from_json }}"));
        assertEquals(Map.of("a", true), r("{{ 'a: yes' | from_yaml }}"));
        assertEquals("'it'\"'\"'s here'", r("{{ \"it's here\" | quote }}"));
        assertEquals("/etc/x.conf", r("{{ '/etc/x.conf' | quote }}"));
        assertEquals("''", r("{{ '' | quote }}"));
        for (String yes : List.of("'yes'", "'True'", "'on'", "1", "true", "'1'")) assertEquals(true, r("{{ " + yes + " | bool }}"), yes);
        for (String no : List.of("'no'", "'off'", "0", "false", "'false'", "'x'", "none")) assertEquals(false, r("{{ " + no + " | bool }}"), no);
        assertEquals("x.conf", r("{{ '/etc/nginx/x.conf' | basename }}"));
        assertEquals("/etc/nginx", r("{{ '/etc/nginx/x.conf' | dirname }}"));
        assertEquals("/", r("{{ '/x' | dirname }}"));
        assertEquals("", r("{{ 'x' | dirname }}"));
        assertEquals("aGk6dGhlcmU=", r("{{ 'hi:there' | b64encode }}"));
        assertEquals("hi:there", r("{{ 'aGk6dGhlcmU=' | b64decode }}"));
        // Inside {{ }} Ansible keeps backslashes literal: '\d' is a digit class (checked with ansible-playbook 2.14)
        assertEquals("127.0.0.1:8000:8000", r("{{ '8000:8000' | regex_replace('^(\\d+):', '127.0.0.1:\\1:') }}"));
        assertEquals("x-y", r("{{ 'a-y' | regex_replace('(?P<first>a)', 'x') }}"));
        assertEquals("b=a", r("{{ 'a=b' | regex_replace('^(?P<k>\\w)=(?P<v>\\w)$', '\\g<v>=\\g<k>') }}"));
        assertEquals("8000", r("{{ 'port 8000 open' | regex_search('\\d+') }}"));
        assertEquals(List.of("8000"), r("{{ 'port 8000 open' | regex_search('port (\\d+)', '\\1') }}"));
        assertNull(r("{{ 'none here' | regex_search('\\d+') }}"));
        assertEquals(List.of("1", "22"), r("{{ 'a1b22' | regex_findall('\\d+') }}"));
        assertEquals(Map.of("a", 1, "b", 3, "c", 4), r("{{ {'a': 1, 'b': 2} | combine({'b': 3}, {'c': 4}) }}"));
        assertEquals(Map.of("a", Map.of("x", 1, "y", 2)), r("{{ {'a': {'x': 1} } | combine({'a': {'y': 2} }, recursive=True) }}"));
        assertEquals(Map.of("a", Map.of("y", 2)), r("{{ {'a': {'x': 1} } | combine({'a': {'y': 2} }) }}"));
        assertEquals(List.of(Map.of("key", "name", "value", "ollama"), Map.of("key", "port", "value", 11434)),
                r("{{ svc | dict2items }}"));
        assertEquals(List.of(Map.of("k", "name", "v", "ollama"), Map.of("k", "port", "v", 11434)),
                r("{{ svc | dict2items(key_name='k', value_name='v') }}"));
        assertEquals(Map.of("name", "ollama", "port", 11434), r("{{ svc | dict2items | items2dict }}"));
        assertEquals("yes", r("{{ flag | ternary('yes', 'no') }}"));
        assertEquals(List.of(1, 2, 3), r("{{ [1, [2, [3]]] | flatten }}"));
    }

    @Test
    void lookupEnvAndFileAreSecrets() throws Exception {
        String home = System.getenv("HOME");
        assertNotNull(home);
        assertEquals(home, r("{{ lookup('env', 'HOME') }}"));
        Files.writeString(dir.resolve("pw.txt"), "s3cr3t-pass\n");
        assertEquals("s3cr3t-pass", r("{{ lookup('file', 'pw.txt') }}"));
        assertEquals("user: s3cr3t-pass", r("user: {{ lookup('file', 'pw.txt') }}"));
        // The whole rendered field is a secret too (it was made while reading one).
        assertEquals("line: ******** ok", secrets.mask("line: user: s3cr3t-pass ok"));
        assertEquals("line: ******** ok", secrets.mask("line: s3cr3t-pass ok"));
        assertTrue(secrets.contains("xx s3cr3t-pass"));
        assertEquals(List.of("s3cr3t-pass"), r("{{ query('file', 'pw.txt') }}"));
    }

    @Test
    void whatIsMadeOfASecretIsASecret() throws Exception {
        Files.writeString(dir.resolve("pw.txt"), "Hunter2-pass\n");
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("pw", "{{ lookup('file', 'pw.txt') }}");
        v.put("users", Map.of("apiuser", "{{ pw }}"));
        v.put("state", "present");
        // As a play's variables: each rendered when read, so a secret travels through other variables.
        Vars scope = new Vars() {
            @Override public boolean has(String n) { return v.containsKey(n); }
            @Override public Object get(String n) { return t().render(v.get(n), this); }
            @Override public java.util.Set<String> names() { return v.keySet(); }
        };
        String b64 = java.util.Base64.getEncoder().encodeToString("Hunter2-pass".getBytes());
        assertEquals(b64, t().render("{{ pw | b64encode }}", scope));
        assertEquals("HUNTER2-PASS", t().render("{{ users.apiuser | upper }}", scope));
        assertEquals("'x Hunter2-pass'", t().render("{{ ('x ' ~ pw) | quote }}", scope));
        assertEquals("cmd Hunter2", t().render("cmd {{ pw[0:7] }}", scope));
        assertEquals("present", t().render("{{ state | upper | lower }}", scope));
        assertEquals("apiuser", t().render("{{ (users | dict2items)[0].key }}", scope));
        for (String derived : List.of(b64, "HUNTER2-PASS", "'x Hunter2-pass'", "cmd Hunter2")) {
            assertEquals("[********]", secrets.mask("[" + derived + "]"), derived);
        }
        assertEquals("state present, user apiuser", secrets.mask("state present, user apiuser"),
                "what was not made of the secret stays readable, a key copied next to it included");
    }

    @Test
    void lookupErrors() {
        assertEquals("", r("{{ lookup('env', 'MOAT_NO_SUCH_VAR') }}"), "unset: '' as Ansible's env lookup");
        assertEquals("", r("{{ lookup('env', 'MOAT_NO_SUCH_VAR') | default('fallback') }}"), "'' is defined, as in Ansible");
        assertEquals("fallback", r("{{ lookup('env', 'MOAT_NO_SUCH_VAR', default='fallback') }}"));
        assertEquals("", r("{{ lookup('env', 'MOAT_NO_SUCH_VAR', default='') }}"));
        assertTrue(fails("{{ lookup('file', 'nope.txt') }}").getMessage().startsWith("lookup('file', 'nope.txt'): no such file"));
        assertTrue(fails("{{ lookup('pipe', 'ls') }}").getMessage().startsWith("lookup('pipe') runs a command on the controller"));
        assertTrue(fails("{{ lookup('nosuch', 'x') }}").getMessage().startsWith("lookup plugin (nosuch) not found"));
    }

    @Test
    void shortSecretsAreNotMasked() {
        Secrets s = new Secrets();
        s.add("abc");
        s.add("abcd");
        assertEquals("abc ******** x", s.mask("abc abcd x"));
        s.add("line-one\nline-two");
        assertEquals("******** and ********", s.mask("line-one and line-two"));
    }

    @Test
    void conditions() {
        Templar t = t();
        assertTrue(t.test("port == 8000", vars()));
        assertTrue(t.test("ports | length > 1", vars()));
        assertFalse(t.test("blank", vars()));
        assertTrue(t.test("foo is not defined", vars()));
        assertTrue(t.test("foo is not defined or foo", vars()));
        assertFalse(t.test("{{ 'False' }}", vars()));
        assertTrue(t.test("{{ flag }}", vars()));
        assertFalse(t.test("nothing", vars()));
        assertEquals("undefined variable 'foo'", assertThrows(TemplateException.class, () -> t.test("foo", vars())).getMessage());
        assertEquals("undefined variable 'foo'", assertThrows(TemplateException.class, () -> t.test("foo == 1", vars())).getMessage());
        assertEquals(List.of(8000, 11434), t.eval("ports", vars()));
    }

    @Test
    void loadTimeSyntaxChecks() {
        Templar.checkTemplate("plain");
        Templar.checkTemplate("{{ a | default('x') }} {% if b %}{{ c }}{% endif %}");
        Templar.checkExpression("a is defined and b | length > 0");
        for (String bad : List.of("{{ a + }}", "{% if a %}x", "{{ a | nosuchfilter }}", "{% for x in a | nosuch %}{% endfor %}",
                "{{ nosuchfn(1) }}", "{{ a is nosuchtest }}", "{% endif %}", "{% for x in a if x | nosuch %}{% endfor %}",
                "{% filter nosuch %}x{% endfilter %}", "{% filter upper %}x")) {
            assertThrows(TemplateException.class, () -> Templar.checkTemplate(bad), bad);
        }
        for (String bad : List.of("a +", "a | nosuchfilter", "(a", "a is nosuchtest")) {
            assertThrows(TemplateException.class, () -> Templar.checkExpression(bad), bad);
        }
    }

    @Test
    void variablesReadByATemplate() {
        assertEquals(java.util.Set.of("a", "z", "r"), Templar.variables("{{ a.b | default(z) }} {% if r.changed %}x{% endif %}", false));
        assertEquals(java.util.Set.of("result"), Templar.variables("result.rc == 0", true));
        // a loop filter and a filter block read variables too (the loop variable is reported as well)
        assertTrue(Templar.variables("{% for x in ports if x > limit %}{{ x }}{% endfor %}", false).containsAll(java.util.Set.of("ports", "limit")));
        assertTrue(Templar.variables("{% filter replace('a', b) %}x{% endfilter %}", false).contains("b"));
    }

    @Test
    void aTemplateTextIsParsedOnceButRenderedAgainstEachHostsVariables() {
        // The same texts for two "hosts": what is kept of a text (its rewrite, its one expression, the
        // variables it reads) must never carry one host's values to another.
        String one = "{{ port + 1 }}";
        String mixed = "port {{ port }}";
        String cond = "port > 8000";
        Vars a = Vars.of(Map.of("port", 8000));
        Vars b = Vars.of(Map.of("port", 9000));
        for (int round = 0; round < 2; round++) {
            assertEquals(8001, t().render(one, a));
            assertEquals(9001, t().render(one, b));
            assertEquals("port 8000", t().render(mixed, a));
            assertEquals("port 9000", t().renderString(mixed, b));
            assertEquals("9001", t().renderString(one, b)); // the same text read as a string: a string
            assertFalse(t().test(cond, a));
            assertTrue(t().test(cond, b));
            assertEquals(8000, t().eval("port", a));
        }
        // an undefined variable fails every time, with its name, not only the first time
        for (int round = 0; round < 2; round++) {
            TemplateException e = assertThrows(TemplateException.class, () -> t().render(one, Vars.of(Map.of())));
            assertTrue(e.getMessage().contains("port"), e.getMessage());
        }
        // a syntax error is never kept as a good parse
        for (int round = 0; round < 2; round++) {
            assertThrows(TemplateException.class, () -> t().render("{{ port + }}", a));
            assertThrows(TemplateException.class, () -> t().eval("port +", a));
        }
        // the variables a text reads, asked twice: the same, and no caller can change what is kept
        java.util.Set<String> first = Templar.variables("{{ a.b | default(z) }}", false);
        assertEquals(first, Templar.variables("{{ a.b | default(z) }}", false));
        assertThrows(UnsupportedOperationException.class, () -> first.add("x"));
        assertEquals(java.util.Set.of("a", "z"), Templar.variables("{{ a.b | default(z) }}", false));
    }

    @Test
    void varsMayReferenceOtherVarsLazily() {
        Templar t = t();
        Map<String, Object> raw = Map.of("a", "{{ b }}-x", "b", "{{ c | upper }}", "c", "deep");
        Vars lazy = new Vars() {
            public boolean has(String n) { return raw.containsKey(n); }
            public Object get(String n) { return t.render(raw.get(n), this); }
            public java.util.Set<String> names() { return raw.keySet(); }
        };
        assertEquals("DEEP-x!", t.render("{{ a }}!", lazy));
        Map<String, Object> raw2 = Map.of("a", "{{ b }}");
        Vars broken = new Vars() {
            public boolean has(String n) { return raw2.containsKey(n); }
            public Object get(String n) { return t.render(raw2.get(n), this); }
            public java.util.Set<String> names() { return raw2.keySet(); }
        };
        assertEquals("undefined variable 'b'", assertThrows(TemplateException.class, () -> t.render("x {{ a }}", broken)).getMessage());
    }

    @Test
    void unknownFiltersAndTestsFailAtRunTimeToo() {
        assertEquals("no filter named 'nosuch'", fails("{{ ports | nosuch }}").getMessage());
        assertEquals("no filter named 'nosuch'", fails("{% for p in ports %}{{ p | nosuch }}{% endfor %}").getMessage());
        assertEquals("no test named 'nosuch'", fails("{{ port is nosuch }}").getMessage());
        assertTrue(fails("{{ nofn(1) }}").getMessage().contains("nofn"));
    }

    @Test
    void pythonishMethodsAndOperators() {
        assertEquals(List.of("a", "b"), r("{{ 'a,b'.split(',') }}"));
        assertEquals(List.of(List.of("name", "ollama"), List.of("port", 11434)), r("{{ svc.items() | list }}"));
        assertEquals(List.of("name", "port"), r("{{ svc.keys() | list }}"));
        assertEquals(5, r("{{ svc.get('nope', 5) }}"));
        assertEquals("name=ollama;port=11434;", r("{% for k, v in svc.items() %}{{ k }}={{ v }};{% endfor %}"));
        assertEquals(3, r("{{ 10 // 3 }}"));
        assertEquals("a", r("{{ 'a' if port == 8000 else 'b' }}"));
        assertEquals(11434, r("{{ ports[-1] }}"));
        assertEquals(11434, r("{{ ports | max }}"));
        assertEquals(8000, r("{{ ports | min }}"));
        assertEquals("a-b", r("{{ '%s-%s' | format('a', 'b') }}"));
    }

    @Test
    void concurrentRendersKeepTheirOwnVariables() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Object>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                futures.add(pool.submit(() -> t().render("{{ n * 2 }}-{{ name }}", Vars.of(Map.of("n", n, "name", "h" + n)))));
            }
            for (int i = 0; i < 64; i++) assertEquals((i * 2) + "-h" + i, futures.get(i).get());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void printsLikePython() {
        assertEquals("['a', 'b']", r("{{ ['a', 'b'] }} ").toString().strip());
    }

    @Test
    void theLoadTimeCheckKnowsTheLookups() {
        Templar.checkTemplate("{{ lookup('env', 'HOME') }}");
        Templar.checkTemplate("{{ query('env', 'HOME') }}");
        Templar.checkExpression("lookup('env', 'HOME') | length > 0");
        assertThrows(TemplateException.class, () -> Templar.checkTemplate("{{ nosuchfunction('x') }}"));
    }

    @Test
    void theLoadTimeCheckLetsATemplateCallAJoinerItSetsOrAMacroItDefinesButNoOtherUnknownName() {
        String t = "{% set j = joiner(', ') %}{% for p in ports %}{{ j() }}{{ p }}{% endfor %}";
        Templar.checkTemplate(t);
        assertEquals("8000, 11434", t().renderString(t, vars()));
        String m = "{% macro f(x) %}<{{ x }}>{% endmacro %}{{ f(1) }}";
        Templar.checkTemplate(m);
        assertEquals("<1>", t().renderString(m, vars()), "as ansible-playbook renders it");
        assertEquals("no function named 'k' in 'k()'", assertThrows(TemplateException.class,
                () -> Templar.checkTemplate("{% set j = joiner(', ') %}{{ k() }}")).getMessage());
    }

    @Test
    void theLoadTimeCheckAcceptsWhatRenderingSupports() {
        Templar.checkExpression("docker_daemon_options.keys() | length > 0");
        Templar.checkTemplate("{% for k, v in svc.items() %}{{ k }}{% endfor %}");
        Templar.checkTemplate("{{ item.server_name.split(' ')[0] ~ '.conf' }}");
        Templar.checkExpression("ansible_version.full is version_compare('2.12', '>=')");
        Templar.checkExpression("x | string is ansible.builtin.match('\\d+')");
        Templar.checkTemplate("{{ x | ansible.builtin.to_json }} {{ '%s-%s' % (a, b) }} {{ n[::-1] }} {{ p.0 }}");
        assertEquals("no filter named 'ansible.builtin.upper' in 'x | ansible.builtin.upper'",
                assertThrows(TemplateException.class, () -> Templar.checkTemplate("{{ x | ansible.builtin.upper }}")).getMessage(),
                "ansible.builtin holds Ansible's own filters only, as in Ansible");
    }

    @Test
    void omitIsDefinedAndDroppedFromArguments() {
        assertEquals(Templar.OMIT, r("{{ foo | default(omit) }}"));
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("dest", "/x");
        args.put("mode", Templar.OMIT);
        args.put("opts", List.of("a", Templar.OMIT, Map.of("k", Templar.OMIT)));
        assertEquals(Map.of("dest", "/x", "opts", List.of("a", Map.of())), Templar.withoutOmitted(args));
    }

    @Test
    void aFileReadsBackslashEscapesWhereAPlaybookStringKeepsThem() {
        assertEquals("a\\nb", t().renderString("{{ 'a\\nb' }}", vars()), "inside {{ }} of a playbook string, Ansible keeps the backslash");
        assertEquals("a\nb", t().renderFile("{{ 'a\\nb' }}", vars()), "a template file is plain Jinja");
        assertEquals(true, t().test("'a\\nb' | length == 3", vars()), "a condition is read inside {% if %}: a newline");
    }
}
