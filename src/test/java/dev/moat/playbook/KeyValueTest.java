package dev.moat.playbook;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

class KeyValueTest {
    private static List<String> raws(String s) {
        return KeyValue.split(s).stream().map(KeyValue.Token::raw).toList();
    }

    @Test
    void splitsOnSpacesOutsideQuotesAndJinja() {
        assertEquals(List.of("dest=/x", "content=\"hi there\"", "mode=0644"), raws("dest=/x  content=\"hi there\" mode=0644"));
        assertEquals(List.of("msg={{ x | default('a b') }}", "v=1"), raws("msg={{ x | default('a b') }} v=1"));
        assertEquals(List.of("echo", "'a  b'", "creates=/tmp/x"), raws("echo 'a  b' creates=/tmp/x"));
    }

    @Test
    void pairsAreUnquoted() {
        List<KeyValue.Token> t = KeyValue.split("a=1 b=\"two words\" c='it''s' d=\"say \\\"hi\\\"\" e= f=x=y");
        assertEquals("1", t.get(0).value());
        assertEquals("two words", t.get(1).value());
        assertEquals("say \"hi\"", t.get(3).value());
        assertEquals("", t.get(4).value());
        assertEquals("f", t.get(5).key());
        assertEquals("x=y", t.get(5).value());
        assertFalse(KeyValue.split("ls").get(0).isPair());
        assertFalse(KeyValue.split("-x=1").get(0).isPair());
    }

    @Test
    void unclosedQuotesAndBlocksAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> KeyValue.split("a=\"open"));
        assertThrows(IllegalArgumentException.class, () -> KeyValue.split("a={{ x"));
    }
}
