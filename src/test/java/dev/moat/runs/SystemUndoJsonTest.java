package dev.moat.runs;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.moat.MoatException;
import dev.moat.journal.Journal;
import dev.moat.journal.Undo;

/** The system modules' undo records survive a run record, and a record cannot make them run shell. */
class SystemUndoJsonTest {
    static Undo roundTrip(Undo u) throws Exception {
        return UndoJson.parse(ResultJson.MAPPER.readTree(ResultJson.line(ResultJson.undo(u, x -> x))));
    }

    @Test
    void unitsAndSysctlsReadBackAsWritten() throws Exception {
        for (Undo u : new Undo[] {new Undo.RestoreUnit("vllm.service", true, null, false), new Undo.RestoreUnit("a@b.service", false, true, true),
                new Undo.RestoreSysctl("net.ipv4.ip_local_port_range", "32768\t60999"), new Undo.RestoreSysctl("kernel.hostname", "gpu-01")}) {
            assertEquals(u, roundTrip(u));
        }
    }

    @Test
    void badNamesAreRefusedAndValuesAreQuoted() throws Exception {
        JsonNode unit = ResultJson.MAPPER.readTree("{\"kind\": \"RestoreUnit\", \"unit\": \"--now; rm -rf /\", \"active\": true, \"masked\": false}");
        assertEquals(65, assertThrows(MoatException.class, () -> UndoJson.parse(unit)).exitCode());
        JsonNode key = ResultJson.MAPPER.readTree("{\"kind\": \"RestoreSysctl\", \"sysctl\": \"a;reboot\", \"value\": \"1\"}");
        assertEquals(65, assertThrows(MoatException.class, () -> UndoJson.parse(key)).exitCode());
        Undo odd = UndoJson.parse(ResultJson.MAPPER.readTree("{\"kind\": \"RestoreSysctl\", \"sysctl\": \"vm.swappiness\", \"value\": \"1'; reboot; '\"}"));
        String script = new Journal("/tmp/j").restore("r", 1, odd);
        assertTrue(script.contains("sysctl -q -w 'vm.swappiness=1'\\''; reboot; '\\'''"), script);
    }
}
