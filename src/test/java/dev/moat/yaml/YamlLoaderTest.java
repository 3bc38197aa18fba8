package dev.moat.yaml;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class YamlLoaderTest {
    private static final Path F = Path.of("play.yml");

    private static Object plain(String yaml) {
        return YamlLoader.parse(yaml, F).toPlain();
    }

    @Test
    void scalarsAreTypedAsYaml11LikeAnsible() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) plain(
                "a: yes\nb: off\nc: 0644\nd: '0644'\ne: 8000\nf: \"8000:8000\"\ng: 8000:8000\nh: ~\ni: 1.5\nj: True\n");
        assertEquals(true, m.get("a"));
        assertEquals(false, m.get("b"));
        assertEquals(420, m.get("c"));
        assertEquals("0644", m.get("d"));
        assertEquals(8000, m.get("e"));
        assertEquals("8000:8000", m.get("f"));
        assertEquals("8000:8000", m.get("g"));
        assertNull(m.get("h"));
        assertEquals(1.5, m.get("i"));
        assertEquals(true, m.get("j"));
    }

    @Test
    void floatsNeedADotAsInPyYaml() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) plain("a: 1e20\nb: 1.0e+20\nc: 1.5e3\nd: .5\ne: 0.00001\nf: 1_000.5\n");
        assertEquals("1e20", m.get("a"));
        assertEquals(1.0e20, m.get("b"));
        assertEquals("1.5e3", m.get("c"));
        assertEquals(0.5, m.get("d"));
        assertEquals(0.00001, m.get("e"));
        assertEquals(1000.5, m.get("f"));
    }

    @Test
    void aDocumentOfOnlyMarkersAndCommentsIsEmptyAsInAnsible() {
        // ansible-galaxy init writes vars/main.yml as '---' and a comment; PyYAML loads None.
        assertNull(YamlLoader.parse("---\n# vars file for x\n", F));
        assertNull(YamlLoader.parse("---\n", F));
        assertNull(YamlLoader.parse("# only a comment\n", F));
        assertNull(YamlLoader.parse("--- ~\n", F));
    }

    @Test
    void quotedFlagIsKept() {
        MapNode m = (MapNode) YamlLoader.parse("a: 'x'\nb: x\n", F);
        assertTrue(((ScalarNode) m.get("a")).quoted());
        assertFalse(((ScalarNode) m.get("b")).quoted());
    }

    @Test
    void anchorsAliasesAndMergeKeys() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) plain(
                "d: &d {x: 1, y: 2}\ne: *d\nf:\n  <<: *d\n  y: 3\ng:\n  <<: [{a: 1}, {a: 2, b: 2}]\n");
        assertEquals(Map.of("x", 1, "y", 2), m.get("e"));
        assertEquals(Map.of("x", 1, "y", 3), m.get("f"));
        assertEquals(Map.of("a", 1, "b", 2), m.get("g"));
    }

    @Test
    void mergedKeyOrderPutsExplicitOverridesLast() {
        MapNode f = (MapNode) ((MapNode) YamlLoader.parse("d: &d {x: 1}\nf:\n  <<: *d\n  x: 9\n", F)).get("f");
        assertEquals(9, f.get("x").toPlain());
        assertEquals(4, f.keyMark("x").line());
    }

    @Test
    void realDuplicateKeysAreRejectedWithBothPlaces() {
        YamlException e = assertThrows(YamlException.class, () -> YamlLoader.parse("a: 1\nb: 2\na: 3\n", F));
        assertEquals(3, e.mark().line());
        assertEquals(1, e.mark().column());
        assertTrue(e.getMessage().startsWith("play.yml:3:1: duplicate key 'a' (first at line 1, column 1)"), e.getMessage());
        assertEquals(65, e.exitCode());
    }

    @Test
    void syntaxErrorsNameTheLineAndColumn() {
        YamlException e = assertThrows(YamlException.class, () -> YamlLoader.parse("a:\n  - b\n c: [\n", F));
        assertTrue(e.getMessage().startsWith("play.yml:"), e.getMessage());
        assertTrue(e.mark().line() >= 2, e.getMessage());
    }

    @Test
    void marksAreOneBased() {
        MapNode m = (MapNode) YamlLoader.parse("top:\n  - name: x\n    copy: {}\n", F);
        ListNode l = (ListNode) m.get("top");
        MapNode task = (MapNode) l.items().get(0);
        assertEquals(new Mark(F, 2, 5), task.keyMark("name"));
        assertEquals(new Mark(F, 3, 5), task.keyMark("copy"));
        assertEquals(List.of("name", "copy"), List.copyOf(task.entries().keySet()));
    }

    @Test
    void emptyDocumentIsNull() {
        assertNull(YamlLoader.parse("", F));
        assertNull(YamlLoader.parse("# only a comment\n", F));
    }

    @Test
    void sexagesimalIntsFollowYaml11() {
        // PyYAML (and so Ansible) reads an unquoted 22:22 as the base-60 integer 1342.
        assertEquals(1342, ((Map<?, ?>) plain("p: 22:22\n")).get("p"));
    }

    @Test
    void aliasesAreReplayedUpToAMillionValuesAndNoFurther() {
        // 8 levels of 9 aliases: 9^8 = 43 million values once replayed.
        StringBuilder y = new StringBuilder("l0: &l0 [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 8; i++) {
            y.append("l").append(i).append(": &l").append(i).append(" [");
            for (int j = 0; j < 9; j++) y.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
            y.append("]\n");
        }
        YamlException e = assertThrows(YamlException.class, () -> YamlLoader.parse(y.toString(), F));
        assertTrue(e.getMessage().startsWith("play.yml:7:"), e.getMessage());
        // Five levels (59,049 values) is a big but legitimate document.
        String small = y.toString().lines().limit(5).collect(java.util.stream.Collectors.joining("\n"));
        assertEquals(9, ((List<?>) ((Map<?, ?>) plain(small)).get("l4")).size());
    }

    @Test
    void utf16WithAByteOrderMarkIsReadAndOtherBytesNameTheirPlace() {
        byte[] le = "\uFEFFa: caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        assertEquals("caf\u00e9", ((Map<?, ?>) YamlLoader.parse(YamlLoader.decode(le, F), F).toPlain()).get("a"));
        byte[] latin1 = "a: 1\nb: caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        YamlException e = assertThrows(YamlException.class, () -> YamlLoader.decode(latin1, F));
        assertEquals("play.yml:2:7: not valid UTF-8 text: bad byte at offset 11 (save the file as UTF-8)", e.getMessage());
    }

    @Test
    void vaultValuesAndUnknownTagsAreErrorsNeverTheirText() {
        YamlException e = assertThrows(YamlException.class,
                () -> YamlLoader.parse("a: 1\npw: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162\n", F));
        assertTrue(e.getMessage().startsWith("play.yml:2:5: cannot decrypt this Ansible Vault value (!vault): no vault password given;"
                + " pass --vault-password-file FILE"), e.getMessage());
        e = assertThrows(YamlException.class, () -> YamlLoader.parse("a: !foo bar\n", F));
        assertEquals("play.yml:1:4: unknown YAML tag '!foo' (Ansible knows !unsafe and !vault)", e.getMessage());
        assertEquals(new Unsafe("{{ x }}"), ((Map<?, ?>) plain("a: !unsafe '{{ x }}'\n")).get("a"));
        assertEquals("2", ((Map<?, ?>) plain("a: !!str 2\n")).get("a"), "YAML's own tags still work");
    }
}
