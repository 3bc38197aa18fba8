package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** Python's {@code re} spellings and {@code re.sub} templates on Java's engine. */
class PyRegexTest {
    private static String sub(String regex, String template, String text) {
        return PyRegex.sub(PyRegex.compile(regex, Pattern.MULTILINE), template, text).text();
    }

    @Test
    void patternsTranslate() {
        assertEquals("(?<k>\\w+)=\\k<k>", PyRegex.translate("(?P<k>\\w+)=(?P=k)"));
        assertEquals("a\\z", PyRegex.translate("a\\Z"), "Python's \\Z is the very end, Java's \\z");
        assertEquals("[\\Z]", PyRegex.translate("[\\Z]"), "inside a class it is left alone");
        assertEquals("x{0,3}", PyRegex.translate("x{,3}"));
        assertEquals("a\\{b", PyRegex.translate("a{b"), "a brace that is no repetition is literal in Python");
        assertEquals("x{2}y{1,}", PyRegex.translate("x{2}y{1,}"));
        assertEquals("[\\]a]", PyRegex.translate("[]a]"), "']' first in a class is literal");
        assertEquals("[^\\]a]", PyRegex.translate("[^]a]"));
        assertEquals("[a\\[]", PyRegex.translate("[a[]"), "'[' inside a class is literal in Python");
    }

    @Test
    void templatesExpandAsReSub() {
        assertEquals("b=a", sub("(\\w)=(\\w)", "\\2=\\1", "a=b"));
        assertEquals("b=a", sub("(?P<x>\\w)=(?P<y>\\w)", "\\g<y>=\\g<x>", "a=b"));
        assertEquals("[a=b]", sub("a=b", "[\\g<0>]", "a=b"));
        assertEquals("a\tb\nc\\d", sub(",", "", "a\tb\nc\\d"));
        assertEquals("x\ty", sub(",", "\\t", "x,y"));
        assertEquals("x\\.y", sub(",", "\\.", "x,y"), "an unknown non-letter escape stays as written");
        assertEquals("xAy", sub(",", "\\101", "x,y"), "three octal digits are a character");
        assertEquals("$1", sub("(a)", "$1", "a"), "Java's $ means nothing in a Python template");
        assertEquals("y", sub("(a)|(b)", "\\2y", "a"), "an unmatched group is empty");
        assertThrows(IllegalArgumentException.class, () -> sub("a", "\\q", "a"));
        assertThrows(IllegalArgumentException.class, () -> sub("(a)", "\\3", "a"));
    }

    @Test
    void linesAreNewlineOnlyAndAnchorsMultiline() {
        assertEquals("x\r\nB\n", sub("^b$", "B", "x\r\nb\n"), "\\r is an ordinary character, as in Python");
        assertEquals("-b--c-\n-", sub("a*", "-", "baac\n"), "empty matches as Python 3.7+");
        assertEquals("é!", sub("\\w$", "!", "éa"), "\\w is Unicode, as Python 3 on text");
    }
}
