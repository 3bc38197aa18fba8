package dev.moat.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table: one port entry line as written → the line compose_ports writes (bind 127.0.0.1 unless said). */
class ShortSyntaxTableTest {
    static final Map<String, String> ENV = Map.of("PORT", "9000", "HOST_IP", "0.0.0.0", "LOOP", "127.0.0.1",
            "PORTS", "8000:8000", "EMPTY", "");

    /** entry => expected; "same" means the entry stays. */
    static final String TABLE = """
            "8000:8000"                         => "127.0.0.1:8000:8000"
            8000:8000                           => "127.0.0.1:8000:8000"
            '8000:8000'                         => '127.0.0.1:8000:8000'
            "0.0.0.0:8000:8000"                 => "127.0.0.1:8000:8000"
            "127.0.0.1:8000:8000"               => same
            127.0.0.1:8000:8000                 => same
            "127.0.0.2:8000:8000"               => same
            "127.255.255.254:8000:8000"         => same
            "10.0.0.5:8000:8000"                => "127.0.0.1:8000:8000"
            "203.0.113.7:8000:8000"             => "127.0.0.1:8000:8000"
            "8000-8001:8000-8001"               => "127.0.0.1:8000-8001:8000-8001"
            "0.0.0.0:8000-8001:8000-8001"       => "127.0.0.1:8000-8001:8000-8001"
            "8000-8010:80"                      => "127.0.0.1:8000-8010:80"
            "8000:8000/udp"                     => "127.0.0.1:8000:8000/udp"
            "8000:8000/tcp"                     => "127.0.0.1:8000:8000/tcp"
            "0.0.0.0:53:53/udp"                 => "127.0.0.1:53:53/udp"
            "[::]:8000:8000"                    => "127.0.0.1:8000:8000"
            "[::1]:8000:8000"                   => same
            "::1:8000:8000"                     => same
            ":::8000:8000"                      => "127.0.0.1:8000:8000"
            "[::ffff:127.0.0.1]:8000:8000"      => same
            "[2001:db8::1]:8000:8000/udp"       => "127.0.0.1:8000:8000/udp"
            "8000"                              => "127.0.0.1::8000"
            8000                                => "127.0.0.1::8000"
            '8000'                              => '127.0.0.1::8000'
            "8000-8010"                         => "127.0.0.1::8000-8010"
            "8000/udp"                          => "127.0.0.1::8000/udp"
            "127.0.0.1::8000"                   => same
            "0.0.0.0::8000"                     => "127.0.0.1::8000"
            ":8000"                             => "127.0.0.1::8000"
            22:22                               => "127.0.0.1:22:22"
            "${PORT}:8000"                      => "127.0.0.1:${PORT}:8000"
            "${PORT:-8000}:8000"                => "127.0.0.1:${PORT:-8000}:8000"
            "${NOPE:-8000}:8000"                => "127.0.0.1:${NOPE:-8000}:8000"
            "${NOPE-8000}:${NOPE:-8000}"        => "127.0.0.1:${NOPE-8000}:${NOPE:-8000}"
            "$PORT:8000"                        => "127.0.0.1:$PORT:8000"
            "${HOST_IP}:8000:8000"              => "127.0.0.1:8000:8000"
            "${HOST_IP:-127.0.0.1}:8000:8000"   => "127.0.0.1:8000:8000"
            "${LOOP}:8000:8000"                 => same
            "${NOPE:-127.0.0.1}:8000:8000"      => same
            "${EMPTY:-127.0.0.1}:8000:8000"     => same
            "${EMPTY-127.0.0.1}:8000:8000"      => "127.0.0.1:8000:8000"
            "${PORTS}"                          => "127.0.0.1:8000:8000"
            "${NOPE}:8000"                      => "127.0.0.1:${NOPE}:8000"
            "$${X}8000:8000"                    => same-bad
            """;

    static Stream<Arguments> rows() {
        return TABLE.lines().map(l -> {
            String[] p = l.split("=>");
            return Arguments.of(p[0].strip(), p[1].strip());
        });
    }

    @ParameterizedTest(name = "{0} => {1}")
    @MethodSource("rows")
    void rewritesEntry(String entry, String expected) throws Exception {
        String doc = "services:\n  web:\n    image: x\n    ports:\n      - " + entry + "\n";
        FileRewrite r = new Rewriter("127.0.0.1", PortFilter.ALL, Flavour.V2).rewrite(ComposeDocument.parse("c.yml", doc), ENV);
        if (expected.startsWith("same")) {
            assertEquals(doc, r.after());
            assertEquals(expected.equals("same-bad") ? 1 : 0, r.warnings().stream().filter(w -> w.contains("left as is")).count(), r.warnings().toString());
        } else {
            assertEquals("services:\n  web:\n    image: x\n    ports:\n      - " + expected + "\n", r.after());
            assertEquals(List.of("web"), r.services());
        }
    }

    static final String V6_TABLE = """
            "8000:8000"              => "[::1]:8000:8000"
            "0.0.0.0:8000:8000"      => "[::1]:8000:8000"
            "8000"                   => "[::1]::8000"
            "127.0.0.1:8000:8000"    => same
            "[::1]:8000:8000"        => same
            """;

    static Stream<Arguments> v6rows() {
        return V6_TABLE.lines().map(l -> {
            String[] p = l.split("=>");
            return Arguments.of(p[0].strip(), p[1].strip());
        });
    }

    @ParameterizedTest(name = "bind ::1: {0} => {1}")
    @MethodSource("v6rows")
    void rewritesEntryToIpv6Bind(String entry, String expected) throws Exception {
        String doc = "services:\n  web:\n    ports: [" + entry + "]\n";
        FileRewrite r = new Rewriter("::1", PortFilter.ALL, Flavour.V2).rewrite(ComposeDocument.parse("c.yml", doc), ENV);
        String want = expected.equals("same") ? doc : "services:\n  web:\n    ports: [" + expected + "]\n";
        assertEquals(want, r.after());
    }
}
