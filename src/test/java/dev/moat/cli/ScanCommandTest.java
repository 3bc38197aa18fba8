package dev.moat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.MoatException;
import dev.moat.runs.ResultJson;
import dev.moat.scan.Finding;
import dev.moat.scan.Verdict;

/** {@code moat scan} in-process against a fake vLLM on loopback: the table, --json, the exit codes. */
class ScanCommandTest {
    @TempDir
    Path tmp;
    HttpServer vllm;
    int closed;
    Path inventory;

    @BeforeEach
    void start() throws Exception {
        vllm = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        vllm.createContext("/", ex -> {
            byte[] b = (ex.getRequestURI().getPath().equals("/v1/models") ? "{\"object\":\"list\",\"data\":[]}" : "nope").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ex.getRequestURI().getPath().equals("/v1/models") ? 200 : 404, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        vllm.start();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        inventory = tmp.resolve("inv.yml");
        Files.writeString(inventory, "all:\n  hosts:\n    gpu1:\n      ansible_host: 127.0.0.1\n    gpu2:\n      ansible_host: 127.0.0.1\n");
    }

    @AfterEach
    void stop() {
        vllm.stop(0);
    }

    private record Run(int code, String out, String err) {}

    private static Run moat(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void anOpenAiPortIsExposedAndExitsTwo() {
        Run r = moat("scan", "-i", inventory.toString(), "--ports", vllm.getAddress().getPort() + "," + closed, "--timeout-ms", "500");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("gpu1") && l.contains("port " + vllm.getAddress().getPort())
                && l.contains("EXPOSED") && l.contains("OpenAI-compatible")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("gpu2") && l.contains("port " + closed) && l.contains("OK") && l.contains("closed")), r.out());
        assertTrue(r.out().contains("fix: compose_ports"), r.out());
        assertTrue(r.out().contains("2 host(s): 2 EXPOSED, 0 FAIL"), r.out());
    }

    @Test
    void jsonIsOneObjectPerLineAndNothingElse() throws Exception {
        Run r = moat("scan", "-i", inventory.toString(), "--limit", "gpu2", "--ports", String.valueOf(vllm.getAddress().getPort()), "--json");
        assertEquals(2, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        JsonNode last = null;
        for (String l : lines) {
            last = ResultJson.MAPPER.readTree(l);
            assertEquals("gpu2", last.has("host") ? last.path("host").asText() : "gpu2");
        }
        assertEquals("scan_end", last.path("event").asText());
        assertEquals(1, last.path("exposed").asInt());
        assertEquals(2, last.path("exit").asInt());
        JsonNode first = ResultJson.MAPPER.readTree(lines.get(0));
        assertEquals("EXPOSED", first.path("verdict").asText());
        assertEquals("outside", first.path("side").asText());
    }

    @Test
    void vaultServicesAreRenderedAsAPlaybookWouldSeeThem() throws Exception {
        Files.writeString(inventory, "all:\n  hosts:\n    gpu1:\n      ansible_host: 127.0.0.1\n    gpu2:\n      ansible_host: \"{{ '127.0.0.1' }}\"\n"
                + "      vault_services: [{name: x, port: 8000, domain: '{{ nope }}.test'}]\n"
                + "  vars:\n    suffix: vault.test\n    vault_services:\n      - {name: vllm, port: 8000, domain: '{{ inventory_hostname }}.{{ suffix }}'}\n");
        Run r = moat("scan", "-i", inventory.toString(), "--ports", String.valueOf(closed), "--json");
        assertTrue(r.out().contains("\"check\":\"vault gpu1.vault.test\""), r.out());
        assertTrue(r.out().contains("\"host\":\"gpu2\",\"check\":\"vault_services\",\"verdict\":\"INFO\""), r.out());
        assertTrue(r.out().contains("nope"), "the undefined variable is named: " + r.out());
        assertTrue(r.out().contains("\"host\":\"gpu2\",\"check\":\"port " + closed + "\""), "gpu2's address was rendered: " + r.out());
    }

    @Test
    void tlsFalseMeansALoopbackVaultNotAFailure() throws Exception {
        Files.writeString(inventory, "all:\n  hosts:\n    gpu1:\n      ansible_host: 127.0.0.1\n      tls: \"{{ 'no' }}\"\n"
                + "    gpu2:\n      ansible_host: 127.0.0.1\n"
                + "  vars:\n    vault_services: [{name: vllm, port: 8000, domain: gpu.vault.test}]\n");
        Run r = moat("scan", "-i", inventory.toString(), "--ports", String.valueOf(closed), "--json");
        assertTrue(r.out().contains("\"host\":\"gpu1\",\"check\":\"vault\",\"verdict\":\"INFO\""), r.out());
        assertTrue(r.out().lines().filter(l -> l.contains("\"host\":\"gpu1\"")).noneMatch(l -> l.contains("FAIL") || l.contains("EXPOSED")), r.out());
        assertTrue(r.out().contains("\"host\":\"gpu2\",\"check\":\"vault gpu.vault.test\",\"verdict\":\"FAIL\""),
                "tls defaults to true, as in the playbook: " + r.out());
    }

    @Test
    void nothingOpenExitsZero() {
        Run r = moat("scan", "-i", inventory.toString(), "--ports", String.valueOf(closed));
        assertEquals(0, r.code(), r.out() + r.err());
    }

    @Test
    void badPortsAreAUsageError() {
        assertEquals(64, moat("scan", "-i", inventory.toString(), "--ports", "80,http").code());
        assertEquals(List.of(8000, 9000, 9001, 9002), ScanCommand.parsePorts(List.of("8000", "9000-9002", "9001")));
        assertThrows(MoatException.class, () -> ScanCommand.parsePorts(List.of("0")));
        assertThrows(MoatException.class, () -> ScanCommand.parsePorts(List.of("9002-9000")));
        assertEquals(64, moat("scan", "-i", inventory.toString(), "--limit", "nosuchhost").code());
    }

    @Test
    void closedPortsOfAHostShareOneRow() {
        List<Finding> rows = ScanPrinter.compress(List.of(Finding.of("h", "port 1", Verdict.OK, "closed"), Finding.of("h", "port 2", Verdict.OK, "closed"),
                Finding.of("h", "port 3", Verdict.EXPOSED, "x"), Finding.of("h", "port 4", Verdict.OK, "filtered (no answer in 1000 ms)")));
        assertEquals(List.of(Finding.of("h", "ports", Verdict.OK, "closed: 1,2; filtered (no answer in 1000 ms): 4"),
                Finding.of("h", "port 3", Verdict.EXPOSED, "x")), rows);
    }
}
