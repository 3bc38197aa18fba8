package dev.moat.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.MoatException;

class InventoryReportTest {
    private static final Inventory INV = InventoryLoader.parse(String.join("\n",
            "all:",
            "  hosts:",
            "    lone: {b: 2, a: [1, 'x']}",
            "  children:",
            "    empty:",
            "    gpu:",
            "      vars: {v: 1}",
            "      hosts: {g1: }",
            "      children: {eu: {hosts: {g1: }}}",
            ""), Path.of("/nonexistent/inv.yml"));

    @Test
    void listHasAnsiblesShapeAndText() {
        String expected = String.join("\n",
                "{",
                "    \"_meta\": {",
                "        \"hostvars\": {",
                "            \"g1\": {",
                "                \"v\": 1",
                "            },",
                "            \"lone\": {",
                "                \"a\": [",
                "                    1,",
                "                    \"x\"",
                "                ],",
                "                \"b\": 2",
                "            }",
                "        }",
                "    },",
                "    \"all\": {",
                "        \"children\": [",
                "            \"ungrouped\",",
                "            \"empty\",",
                "            \"gpu\"",
                "        ]",
                "    },",
                "    \"eu\": {",
                "        \"hosts\": [",
                "            \"g1\"",
                "        ]",
                "    },",
                "    \"gpu\": {",
                "        \"children\": [",
                "            \"eu\"",
                "        ],",
                "        \"hosts\": [",
                "            \"g1\"",
                "        ]",
                "    },",
                "    \"ungrouped\": {",
                "        \"hosts\": [",
                "            \"lone\"",
                "        ]",
                "    }",
                "}");
        assertEquals(expected, InventoryReport.list(INV));
        assertEquals("lone", InventoryReport.listTree(INV).get("ungrouped").get("hosts").get(0).asText());
    }

    @Test
    void graphWithAndWithoutVars() {
        assertEquals(String.join("\n", "@all:", "  |--@ungrouped:", "  |  |--lone", "  |--@empty:", "  |--@gpu:",
                "  |  |--@eu:", "  |  |  |--g1", "  |  |--g1"), InventoryReport.graph(INV));
        assertEquals(String.join("\n", "@gpu:", "  |--@eu:", "  |  |--g1", "  |  |  |--{v = 1}", "  |--g1", "  |  |--{v = 1}",
                "  |--{v = 1}"), InventoryReport.graph(INV, "gpu", true));
        assertEquals(64, assertThrows(MoatException.class, () -> InventoryReport.graph(INV, "nope", false)).exitCode());
    }

    @Test
    void pythonJsonFormatting() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "tab\there \"q\" \\ ü \u0001");
        m.put("n", null);
        m.put("t", true);
        m.put("e", List.of());
        m.put("o", Map.of());
        assertEquals("{\n    \"e\": [],\n    \"n\": null,\n    \"o\": {},\n    \"s\": \"tab\\there \\\"q\\\" \\\\ ü \\u0001\",\n    \"t\": true\n}",
                PyFormat.json(m));
    }

    @Test
    void pythonFloatRepr() {
        assertEquals("1.5", PyFormat.floatRepr(1.5));
        assertEquals("100.0", PyFormat.floatRepr(100.0));
        assertEquals("1e-05", PyFormat.floatRepr(0.00001));
        assertEquals("0.0001", PyFormat.floatRepr(0.0001));
        assertEquals("1e+16", PyFormat.floatRepr(1e16));
        assertEquals("1234567890123456.0", PyFormat.floatRepr(1234567890123456.0));
        assertEquals("-2.5e-07", PyFormat.floatRepr(-2.5e-7));
        assertEquals("0.1", PyFormat.floatRepr(0.1));
    }

    @Test
    void pythonStr() {
        assertEquals("plain", PyFormat.str("plain"));
        assertEquals("['a', \"it's\", 'say \"hi\"', None, True, 1.0]", PyFormat.str(Arrays.asList("a", "it's", "say \"hi\"", null, true, 1.0)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k", List.of(1));
        assertEquals("{'k': [1]}", PyFormat.str(m));
    }
}
