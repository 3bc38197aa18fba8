package dev.moat.inventory;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@link PyLiteral} against Python 3.11's ast.literal_eval (answers recorded from python3 on the same inputs). */
class PyLiteralTest {
    @Test
    void numbers() {
        Object[][] cases = {
            {"00", 0}, {"-0", 0}, {"1_000", 1000}, {"0x_1F", 31}, {"0o17", 15}, {"0b11", 3}, {"+5", 5}, {"  7", 7}, {"7  ", 7},
            {"5 # c", 5}, {"1.", 1.0}, {"1e5", 100000.0}, {"12345678901234", 12345678901234L},
            {"9999999999999999999999", new BigInteger("9999999999999999999999")},
        };
        for (Object[] c : cases) assertEquals(c[1], PyLiteral.eval((String) c[0]), (String) c[0]);
    }

    @Test
    void textThatIsNoLiteralStaysText() {
        for (String s : List.of("01", "1__0", "true", "--5", "1e", "f'x'", "nan", "'unterminated", "yes", "1.2.3", "b'x'", "1+2j", "a b")) {
            assertEquals(s, PyLiteral.eval(s), s);
        }
    }

    @Test
    void stringsAndContainers() {
        assertEquals("ab", PyLiteral.eval("'a' 'b'"));
        assertEquals("\\n", PyLiteral.eval("r'\\n'"));
        assertEquals("x", PyLiteral.eval("u'x'"));
        assertEquals("A", PyLiteral.eval("'\\x41'"));
        assertEquals(1, PyLiteral.eval("(1)"));
        assertEquals(List.of(1), PyLiteral.eval("(1,)"));
        assertEquals(List.of(), PyLiteral.eval("()"));
        assertEquals(List.of(1, 2), PyLiteral.eval("{1,2}"));
        assertEquals(Map.of(), PyLiteral.eval("{}"));
        assertEquals(List.of(1), PyLiteral.eval("[1,]"));
        assertEquals(Boolean.TRUE, PyLiteral.eval("True"));
        assertNull(PyLiteral.eval("None"));
        assertEquals(List.of(1, List.of(2, Map.of("a", List.of(3)))), PyLiteral.eval("[1, [2, {'a': (3,)}]]"));
        assertEquals(Arrays.asList(1, "a", null), PyLiteral.eval("[1, 'a', None]"));
    }
}
