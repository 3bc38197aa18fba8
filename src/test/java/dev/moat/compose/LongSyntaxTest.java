package dev.moat.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LongSyntaxTest {
    static String v2(String doc) throws Exception {
        return new Rewriter("127.0.0.1", PortFilter.ALL, Flavour.V2).rewrite(ComposeDocument.parse("c.yml", doc), Map.of("P", "9000")).after();
    }

    static FileRewrite v1(String doc) throws Exception {
        return new Rewriter("127.0.0.1", PortFilter.ALL, Flavour.V1).rewrite(ComposeDocument.parse("c.yml", doc), Map.of("P", "9000"));
    }

    static final String BLOCK = """
            services:
              vllm:
                ports:
                  - target: 8000
                    published: 8000   # the API
                    protocol: tcp
                volumes: [/x:/y]
            """;

    @Test
    void v2AddsHostIpUnderTheOtherKeys() throws Exception {
        assertEquals("""
                services:
                  vllm:
                    ports:
                      - target: 8000
                        published: 8000   # the API
                        protocol: tcp
                        host_ip: 127.0.0.1
                    volumes: [/x:/y]
                """, v2(BLOCK));
    }

    @Test
    void v1RewritesTheEntryIntoTheShortForm() throws Exception {
        FileRewrite r = v1(BLOCK);
        assertEquals("""
                services:
                  vllm:
                    ports:
                      - "127.0.0.1:8000:8000/tcp"
                    volumes: [/x:/y]
                """, r.after());
        assertTrue(r.changes().get(0).note().contains("v1"));
    }

    @Test
    void v2ReplacesAnExistingHostIpKeepingItsQuotes() throws Exception {
        String doc = "services:\n  a:\n    ports:\n      - target: 80\n        host_ip: \"0.0.0.0\"\n        published: \"8080\"\n";
        assertEquals(doc.replace("\"0.0.0.0\"", "\"127.0.0.1\""), v2(doc));
        String plain = doc.replace("\"0.0.0.0\"", "0.0.0.0");
        assertEquals(doc.replace("\"0.0.0.0\"", "127.0.0.1"), v2(plain));
        String empty = doc.replace("\"0.0.0.0\"", "");
        assertEquals(doc.replace("\"0.0.0.0\"", "127.0.0.1"), v2(empty));
    }

    @Test
    void loopbackLongEntriesStay() throws Exception {
        String doc = "services:\n  a:\n    ports:\n      - target: 80\n        host_ip: 127.0.0.1\n        published: 8080\n"
                + "      - {target: 81, host_ip: '::1'}\n";
        assertEquals(doc, v2(doc));
        assertEquals(doc, v1(doc).after());
    }

    @Test
    void flowMappings() throws Exception {
        String doc = "services:\n  a:\n    ports:\n      - {target: 80, published: 8080, protocol: udp}\n";
        assertEquals("services:\n  a:\n    ports:\n      - {target: 80, published: 8080, protocol: udp, host_ip: 127.0.0.1}\n", v2(doc));
        assertEquals("services:\n  a:\n    ports:\n      - \"127.0.0.1:8080:80/udp\"\n", v1(doc).after());
    }

    @Test
    void rangesVariablesAndNoPublished() throws Exception {
        String doc = "services:\n  a:\n    ports:\n      - target: 80\n        published: \"${P:-8080}\"\n      - target: 81\n        mode: host\n";
        FileRewrite r = v1(doc);
        assertEquals("services:\n  a:\n    ports:\n      - \"127.0.0.1:${P:-8080}:80\"\n      - \"127.0.0.1::81\"\n", r.after());
        assertTrue(r.changes().get(1).note().contains("mode dropped"), r.changes().get(1).note());
        String range = "services:\n  a:\n    ports:\n      - target: 80\n        published: 8000-8010\n";
        assertEquals(range + "        host_ip: 127.0.0.1\n", v2(range));
    }

    @Test
    void crlfAndNoTrailingNewlineArePreserved() throws Exception {
        String doc = "services:\r\n  a:\r\n    ports:\r\n      - target: 80\r\n        published: 80";
        assertEquals(doc + "\r\n        host_ip: 127.0.0.1", v2(doc));
    }

    @Test
    void ipv6BindIsQuotedInLongSyntax() throws Exception {
        String doc = "services:\n  a:\n    ports:\n      - target: 80\n";
        String out = new Rewriter("::1", PortFilter.ALL, Flavour.V2).rewrite(ComposeDocument.parse("c.yml", doc), Map.of()).after();
        assertEquals(doc + "        host_ip: \"::1\"\n", out);
    }

    @Test
    void anchoredListIsEditedOnceAndNamesEveryService() throws Exception {
        String doc = """
                x-ports: &gpu-ports
                  - "8000:8000"   # vllm
                  - 127.0.0.1:9000:9000
                x-base: &base
                  image: vllm
                  ports:
                    - "7000:7000"
                services:
                  a:
                    ports: *gpu-ports
                  b:
                    ports: *gpu-ports
                  c:
                    <<: *base
                  d:
                    extends: c
                  e:
                    <<: *base
                    ports: ["11434:11434"]
                """;
        FileRewrite r = new Rewriter("127.0.0.1", PortFilter.ALL, Flavour.V2).rewrite(ComposeDocument.parse("c.yml", doc), Map.of());
        assertEquals(doc.replace("\"8000:8000\"", "\"127.0.0.1:8000:8000\"").replace("\"7000:7000\"", "\"127.0.0.1:7000:7000\"")
                .replace("\"11434:11434\"", "\"127.0.0.1:11434:11434\""), r.after());
        assertEquals(3, r.changes().size());
        assertEquals(List.of("a", "b"), r.changes().get(0).services());
        assertEquals(List.of("c", "d"), r.changes().get(1).services());
        assertEquals(List.of("e"), r.changes().get(2).services());
    }

    @Test
    void anchoredScalarKeepsItsAnchor() throws Exception {
        String doc = "services:\n  a:\n    ports:\n      - &p !!str \"8000:8000\"\n  b:\n    ports: [*p]\n";
        FileRewrite r = new Rewriter("127.0.0.1", PortFilter.ALL, Flavour.V2).rewrite(ComposeDocument.parse("c.yml", doc), Map.of());
        assertEquals(doc.replace("\"8000:8000\"", "\"127.0.0.1:8000:8000\""), r.after());
        assertEquals(List.of("a", "b"), r.changes().get(0).services());
    }

    @Test
    void portFilterLimitsWhatIsTouched() throws Exception {
        String doc = "services:\n  a:\n    ports:\n      - \"8000:8000\"\n      - \"9000:80\"\n      - \"5000-5010:5000-5010\"\n";
        FileRewrite r = new Rewriter("127.0.0.1", PortFilter.parse(List.of(80, "5005")), Flavour.V2).rewrite(ComposeDocument.parse("c.yml", doc), Map.of());
        assertEquals(doc.replace("\"9000:80\"", "\"127.0.0.1:9000:80\"").replace("\"5000-5010:5000-5010\"", "\"127.0.0.1:5000-5010:5000-5010\""), r.after());
    }

    @Test
    void legacyV1FormatAndBlockScalars() throws Exception {
        String doc = "web:\n  image: nginx\n  ports:\n    - |\n      8000:8000\n    - \"9000\"\n";
        FileRewrite r = new Rewriter("127.0.0.1", PortFilter.ALL, Flavour.V1).rewrite(ComposeDocument.parse("c.yml", doc), Map.of());
        assertEquals("web:\n  image: nginx\n  ports:\n    - \"127.0.0.1:8000:8000\"\n    - \"127.0.0.1::9000\"\n", r.after());
    }

    @Test
    void unreadableEntriesAreLeftAndWarned() throws Exception {
        String doc = "services:\n  a:\n    ports:\n      - \"localhost:8000:8000\"\n      - \"${NOPE:?set NOPE}:80\"\n      - \"8000:8000/foo\"\n";
        FileRewrite r = new Rewriter("127.0.0.1", PortFilter.ALL, Flavour.V2).rewrite(ComposeDocument.parse("c.yml", doc), Map.of());
        assertEquals(doc, r.after());
        assertEquals(3, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(0).startsWith("c.yml:4: "), r.warnings().get(0));
    }

    @Test
    void nestedValuesAndAliasValuesBoundTheEntry() throws Exception {
        String doc = """
                x-port: &port 8000
                services:
                  a:
                    ports:
                      - target: 80
                        x-meta:
                          owner: me
                      # between entries
                      - target: 81
                        published: *port
                      - "9000:9000"
                """;
        assertEquals("""
                x-port: &port 8000
                services:
                  a:
                    ports:
                      - target: 80
                        x-meta:
                          owner: me
                        host_ip: 127.0.0.1
                      # between entries
                      - target: 81
                        published: *port
                        host_ip: 127.0.0.1
                      - "127.0.0.1:9000:9000"
                """, v2(doc));
        String v1 = v1(doc.replace("        x-meta:\n          owner: me\n", "")).after();
        assertEquals("""
                x-port: &port 8000
                services:
                  a:
                    ports:
                      - "127.0.0.1::80"
                      # between entries
                      - "127.0.0.1:8000:81"
                      - "127.0.0.1:9000:9000"
                """, v1);
    }

    @Test
    void hostIpGivenByAliasIsReplacedAtTheAliasOnly() throws Exception {
        String doc = "x-ip: &any 0.0.0.0\nservices:\n  a:\n    ports:\n      - target: 80\n        host_ip: *any\n        published: 80\n";
        assertEquals(doc.replace("host_ip: *any", "host_ip: 127.0.0.1"), v2(doc));
    }

    @Test
    void byteOrderMarkIsKept() throws Exception {
        String doc = "\uFEFFservices:\n  a:\n    ports: ['8000:8000']\n";
        assertEquals(doc.replace("'8000:8000'", "'127.0.0.1:8000:8000'"), v2(doc));
    }

    @Test
    void nonAsciiTextBeforeTheEntryKeepsOffsetsRight() throws Exception {
        String doc = "# Modèle 🚀 GPU\nservices:\n  a:\n    labels: {x: \"日本 🚀\"}\n    ports: ['8000:8000']\n";
        assertEquals(doc.replace("'8000:8000'", "'127.0.0.1:8000:8000'"), v2(doc));
    }
}
