package dev.moat.template.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The rewrite of Python jmespath's elided-quote literals; the filter itself is in AnsibleJinjaComparisonTest's table. */
class JsonQueryTest {
    @Test
    void aLiteralThatIsNotJsonBecomesAString() {
        assertEquals("[?contains(groups, `\"wheel\"`)]", JsonQuery.elidedQuotes("[?contains(groups, `wheel`)]"));
        assertEquals("[?n == `\"bob\"`]", JsonQuery.elidedQuotes("[?n == ` bob`]"));
    }

    @Test
    void jsonLiteralsRawStringsAndQuotedNamesStayAsWritten() {
        for (String e : List.of("[?uid > `1000`]", "[?a == `\"x\"`]", "[?a == `[1, 2]`]", "[?a == 'x`y']", "\"we`ird\".b", "`true`")) {
            assertEquals(e, JsonQuery.elidedQuotes(e), e);
        }
    }

    @Test
    void searchesPlainValues() {
        Object users = List.of(Map.of("name", "a", "groups", List.of("wheel")), Map.of("name", "b", "groups", List.of()));
        assertEquals(List.of("a"), JsonQuery.search(users, "[?contains(groups, `wheel`)].name"));
        assertEquals(2, JsonQuery.search(users, "length(@)"));
    }
}
