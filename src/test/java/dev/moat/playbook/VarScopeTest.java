package dev.moat.playbook;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.template.Secrets;
import dev.moat.template.Templar;
import dev.moat.template.TemplateException;
import dev.moat.yaml.Mark;

class VarScopeTest {
    private final Templar templar = new Templar(Path.of("."), new Secrets());

    private static Play play(Map<String, Object> vars, Map<String, Object> filesVars) {
        return new Play("p", "all", vars, List.of(), filesVars, null, null, List.of(), List.of(), List.of(), null, null,
                List.of(), Mark.NONE, true);
    }

    /** src/test/resources/facts/precedence.txt: Ansible's answer for the same inventory, play vars and facts. */
    @Test
    void factsRankAboveInventoryAndBelowPlayVarsAsInAnsible() throws Exception {
        String recorded = java.nio.file.Files.readAllLines(Path.of("src/test/resources/facts/precedence.txt")).stream()
                .filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
        VarScope s = VarScope.of(templar, Map.of("ansible_distribution", "inventory", "ansible_kernel", "inventory"),
                play(Map.of("ansible_kernel", "play"), Map.of()), Map.of());
        s.addFacts(Map.of("ansible_distribution", "Debian", "ansible_kernel", "6.1.0"));
        assertEquals(recorded, templar.renderString(
                "{{ ansible_distribution }} {{ ansible_kernel }}", s));
        assertEquals("6.1.0", ((Map<?, ?>) s.get("ansible_facts")).get("kernel"));
    }

    @Test
    void precedenceIsAnsibles() {
        Map<String, Object> host = Map.of("v", "host", "h", "host");
        Map<String, Object> playVars = Map.of("v", "play", "p", "play");
        Map<String, Object> files = Map.of("v", "files", "f", "files");
        VarScope s = VarScope.of(templar, host, play(playVars, files), Map.of("e", "extra"));
        assertEquals("files", s.get("v"));
        assertEquals("host", s.get("h"));
        assertEquals("play", s.get("p"));
        VarScope t = s.withTaskVars(Map.of("v", "task"));
        assertEquals("task", t.get("v"));
        t.register("v", "registered");
        assertEquals("registered", t.get("v"));
        assertEquals("registered", s.get("v"), "registrations are shared by derived scopes");
        VarScope l = t.withLocals(Map.of("v", "local", "item", 1));
        assertEquals("local", l.get("v"));
        assertEquals(1, l.get("item"));
        assertFalse(t.has("item"));
        VarScope x = VarScope.of(templar, host, play(playVars, files), Map.of("v", "extra")).withLocals(Map.of("v", "local"));
        x.register("v", "registered");
        assertEquals("extra", x.get("v"), "-e wins over everything");
    }

    @Test
    void templatedVarsRenderLazilyInTheWholeScope() {
        Map<String, Object> playVars = new HashMap<>();
        playVars.put("url", "http://{{ bind }}:{{ port }}/{{ path | default('') }}");
        playVars.put("ports", List.of("{{ port }}", 443));
        VarScope s = VarScope.of(templar, Map.of("bind", "10.0.0.1"), play(playVars, Map.of("port", 8000)),
                Map.of("bind", "127.0.0.1"));
        assertEquals("http://127.0.0.1:8000/", s.get("url"));
        assertEquals(List.of(8000, 443), s.get("ports"));
        assertEquals("http://{{ bind }}:{{ port }}/{{ path | default('') }}", s.raw("url"));
        assertEquals("http://127.0.0.1:8000/x", templar.render("{{ url }}x", s));
    }

    @Test
    void registeredResultsAreNotRenderedAgain() {
        VarScope s = VarScope.of(templar, Map.of(), null, Map.of());
        s.register("result", Map.of("stdout", "{{ not_a_template }}", "rc", 0));
        assertEquals("{{ not_a_template }}", templar.render("{{ result.stdout }}", s));
        assertEquals(true, templar.test("result.rc == 0", s));
    }

    @Test
    void unsafeValuesAreNeverRendered() {
        Map<?, ?> vars = (Map<?, ?>) dev.moat.yaml.YamlLoader.parse(
                "raw: !unsafe '{{ lookup(\"pipe\", \"id\") }}'\nlist: [!unsafe '{% x %}', '{{ raw }}']\n", Path.of("vars.yml")).toPlain();
        @SuppressWarnings("unchecked")
        VarScope s = VarScope.of(templar, (Map<String, ?>) vars, null, Map.of());
        assertEquals("{{ lookup(\"pipe\", \"id\") }}", s.get("raw"));
        assertEquals(List.of("{% x %}", "{{ lookup(\"pipe\", \"id\") }}"), s.get("list"));
        assertEquals("{{ lookup(\"pipe\", \"id\") }}!", templar.render("{{ raw }}!", s));
    }

    @Test
    void selfReferenceIsAnError() {
        VarScope s = VarScope.of(templar, Map.of("a", "{{ b }}", "b", "{{ a }}"), null, Map.of());
        TemplateException e = assertThrows(TemplateException.class, () -> templar.render("{{ a }}", s));
        assertEquals("variable 'a' refers to itself: a -> b -> a", e.getMessage());
    }

    @Test
    void undefinedInsideAVarNamesTheInnerVariable() {
        VarScope s = VarScope.of(templar, Map.of("a", "x{{ missing }}"), null, Map.of());
        assertEquals("undefined variable 'missing'", assertThrows(TemplateException.class, () -> s.get("a")).getMessage());
        assertEquals("undefined variable 'missing'",
                assertThrows(TemplateException.class, () -> templar.render("{{ a | default('d') }}", s)).getMessage());
    }

    @Test
    void hostvarsOfAnotherHostRenderInThatHostsScope() {
        VarScope h2 = VarScope.of(templar, Map.of("ip", "10.0.0.2", "url", "http://{{ ip }}"), null, Map.of());
        VarScope h1 = VarScope.of(templar, Map.of("ip", "10.0.0.1", "hostvars", Map.of("h2", h2.asMap())), null, Map.of());
        assertEquals("http://10.0.0.2 from 10.0.0.1", templar.render("{{ hostvars['h2'].url }} from {{ ip }}", h1));
        assertEquals(false, templar.render("{{ hostvars['h2'].nope is defined }}", h1));
        // ansible_facts is defined (empty until gathered) in every host's variables, hostvars included, as in Ansible
        assertEquals(Map.of("ip", "10.0.0.2", "url", "http://10.0.0.2", "ansible_facts", Map.of()), new HashMap<>(h2.asMap()));
    }

    @Test
    void nullIsDefined() {
        Map<String, Object> host = new HashMap<>();
        host.put("n", null);
        VarScope s = VarScope.of(templar, host, null, Map.of());
        assertTrue(s.has("n"));
        assertNull(s.get("n"));
        assertEquals(true, templar.render("{{ n is defined }}", s));
        assertTrue(s.names().contains("n"));
    }
}
