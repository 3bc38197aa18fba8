package dev.moat.repl;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.engine.Catalog;
import dev.moat.modules.Modules;

class LineParserTest {
    private final LineParser parser = new LineParser(Catalog.of(Modules.builtin()));

    private Line.ModuleCall call(String text) {
        Line l = parser.parse(text);
        assertInstanceOf(Line.ModuleCall.class, l, text);
        return (Line.ModuleCall) l;
    }

    @Test
    void keyValueWithQuotes() {
        Line.ModuleCall c = call("copy dest=/etc/motd content=\"hi there\" mode='0644'");
        assertEquals("copy", c.module());
        assertEquals(Map.of("dest", "/etc/motd", "content", "hi there", "mode", "0644"), c.args());
        assertEquals(List.of("dest", "content", "mode"), List.copyOf(((Map<?, ?>) c.args()).keySet()));
    }

    @Test
    void escapedQuoteAndJinjaStayOneValue() {
        Line.ModuleCall c = call("copy dest=/tmp/x content=\"say \\\"hi\\\"\"");
        assertEquals("say \"hi\"", ((Map<?, ?>) c.args()).get("content"));
        c = call("copy dest=/tmp/x content={{ greeting | default('a b') }}");
        assertEquals("{{ greeting | default('a b') }}", ((Map<?, ?>) c.args()).get("content"));
    }

    @Test
    void escapesInValuesAreDecodedAsAnsibleDoes() {
        assertEquals("a\nb\tc", ((Map<?, ?>) call("copy dest=/x content=\"a\\nb\\tc\"").args()).get("content"));
        assertEquals("C:\\x", LineParser.escapes("C:\\\\x"));
    }

    @Test
    void yamlFlowKeepsYamlTypes() {
        Line.ModuleCall c = call("ufw {rule: allow, port: 443, proto: tcp}");
        assertEquals(Map.of("rule", "allow", "port", 443, "proto", "tcp"), c.args());
        c = call("  copy   {dest: /tmp/a, content: \"x: y\"}");
        assertEquals(Map.of("dest", "/tmp/a", "content", "x: y"), c.args());
    }

    @Test
    void yamlErrorsAreOneLineWithTheColumn() {
        BadInput e = assertThrows(BadInput.class, () -> parser.parse("ufw {rule: allow, port: [443}"));
        assertTrue(e.getMessage().contains("YAML"), e.getMessage());
        assertTrue(e.getMessage().matches(".*\\(column \\d+\\)"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertThrows(BadInput.class, () -> parser.parse("copy [1, 2]"), "a flow list is not key=value");
        e = assertThrows(BadInput.class, () -> parser.parse("copy {- a}"));
        assertNotNull(e.getMessage());
    }

    @Test
    void badKeyValueInput() {
        assertTrue(assertThrows(BadInput.class, () -> parser.parse("copy dest=/x content=\"open")).getMessage().contains("unclosed"));
        assertTrue(assertThrows(BadInput.class, () -> parser.parse("copy dest=/x hello")).getMessage().contains("'hello' is not key=value"));
        assertTrue(assertThrows(BadInput.class, () -> parser.parse("copy dest=/x dest=/y")).getMessage().contains("twice"));
    }

    @Test
    void freeFormModulesKeepTheirText() {
        assertEquals("ls -l /tmp chdir=/", call("command ls -l /tmp chdir=/").args());
        assertEquals("echo a=b | wc -c", call("shell echo a=b | wc -c").args());
        assertEquals(Map.of("cmd", "ls -l", "chdir", "/tmp"), call("command cmd=\"ls -l\" chdir=/tmp").args());
        assertEquals(Map.of("msg", "hello"), call("debug msg=hello").args());
    }

    @Test
    void noArgumentsIsAnEmptyMapping() {
        assertEquals(Map.of(), call("debug").args());
    }

    @Test
    void unknownModulesAreLeftToTheLoader() {
        Line.ModuleCall c = call("cpy dest=/x");
        assertEquals("cpy", c.module());
        assertEquals("dest=/x", c.args());
        assertEquals("copy", LineParser.shortName("ansible.builtin.copy"));
        assertEquals(Map.of("dest", "/x"), call("ansible.builtin.copy dest=/x").args());
    }

    @Test
    void bangCommands() {
        assertEquals(new Line.Bang("df -h | grep /"), parser.parse("!df -h | grep /"));
        assertEquals(new Line.Bang("ls"), parser.parse("  ! ls"));
        assertThrows(BadInput.class, () -> parser.parse("!"));
    }

    @Test
    void colonCommands() {
        assertEquals(new Line.Colon("check", "on"), parser.parse(":check on"));
        assertEquals(new Line.Colon("play", "site dir/x.yml"), parser.parse(":play   site dir/x.yml  "));
        assertEquals(new Line.Colon("undo", ""), parser.parse(":undo"));
        assertEquals(new Line.Colon("help", "copy"), parser.parse(": help copy"));
        assertThrows(BadInput.class, () -> parser.parse(":"));
    }

    @Test
    void blankAndComments() {
        assertInstanceOf(Line.Empty.class, parser.parse("   "));
        assertInstanceOf(Line.Empty.class, parser.parse("# a comment"));
    }
}
