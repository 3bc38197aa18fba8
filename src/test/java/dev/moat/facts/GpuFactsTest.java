package dev.moat.facts;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.module.FactOutput;
import dev.moat.modules.LocalHost;

/**
 * GPU facts from each source, against fixtures written by hand from NVIDIA's documented
 * {@code --query-gpu} CSV format, the driver's /proc files and lspci's format (src/test/resources/facts/gpu/,
 * each labelled so): no real GPU host was available to record them.
 */
class GpuFactsTest {
    private static List<Map<String, Object>> fixture(String name) throws Exception {
        String text = Files.readString(Path.of("src/test/resources/facts/gpu/" + name), StandardCharsets.UTF_8);
        return GpuFacts.fact().parse(new FactOutput(0, text.getBytes(StandardCharsets.UTF_8), new byte[0]));
    }

    private static List<Object> column(List<Map<String, Object>> gpus, String key) {
        return gpus.stream().map(g -> g.get(key)).toList();
    }

    @Test
    void severalGpusWithMigFromNvidiaSmi() throws Exception {
        List<Map<String, Object>> gpus = fixture("a100-mig.txt");
        assertEquals(4, gpus.size());
        Map<String, Object> g = gpus.get(2);
        assertEquals(2, g.get("index"));
        assertEquals("NVIDIA A100-SXM4-80GB", g.get("name"));
        assertEquals("GPU-2c3d4e5f-6071-8293-a4b5-c6d7e8f90123", g.get("uuid"));
        assertEquals(81920, g.get("memory_total_mib"));
        assertEquals("535.104.05", g.get("driver_version"));
        assertEquals("12.2", g.get("cuda_version"), "from nvidia-smi's header: --query-gpu has no CUDA version field");
        assertEquals("Enabled", g.get("persistence_mode"));
        assertEquals("Enabled", g.get("mig_mode"));
        assertEquals("0000:47:00.0", g.get("pci_bus_id"), "nvidia-smi's 8-digit domain in sysfs's form");
        assertEquals("10de:20b2", g.get("pci_id"), "the PCI id from lspci, matched by bus id");
        assertEquals("nvidia", g.get("vendor"));
        assertEquals("nvidia-smi", g.get("source"));
        assertEquals(Arrays.asList("Disabled", "Disabled", "Enabled", "Enabled"), column(gpus, "mig_mode"));
        assertEquals("0000:0f:00.0", gpus.get(1).get("pci_bus_id"));
    }

    @Test
    void notApplicableAndNotSupportedAreNullAndUnitsAreStripped() throws Exception {
        List<Map<String, Object>> gpus = fixture("geforce-units.txt");
        assertEquals(1, gpus.size(), "the header line and the GPU's audio function are no GPUs: " + gpus);
        Map<String, Object> g = gpus.get(0);
        assertEquals(24564, g.get("memory_total_mib"));
        assertTrue(g.containsKey("persistence_mode") && g.get("persistence_mode") == null, "[Not Supported]");
        assertTrue(g.containsKey("mig_mode") && g.get("mig_mode") == null, "[N/A]");
        assertEquals("12.4", g.get("cuda_version"));
        assertEquals("10de:2684", g.get("pci_id"));
    }

    @Test
    void aFailingNvidiaSmiFallsBackToTheDriversFiles() throws Exception {
        List<Map<String, Object>> gpus = fixture("driver-only.txt");
        assertEquals(2, gpus.size());
        assertEquals(Arrays.asList(0, 1), column(gpus, "index"), "Device Minor, in bus order");
        assertEquals(Arrays.asList("0000:18:00.0", "0000:3b:00.0"), column(gpus, "pci_bus_id"));
        assertEquals("GPU-00998877-6655-4433-2211-ffeeddccbbaa", gpus.get(0).get("uuid"));
        assertEquals("Tesla T4", gpus.get(0).get("name"));
        assertEquals("535.104.05", gpus.get(0).get("driver_version"), "the kernel module's version");
        assertNull(gpus.get(0).get("cuda_version"));
        assertNull(gpus.get(0).get("memory_total_mib"));
        assertEquals("10de:1eb8", gpus.get(1).get("pci_id"));
        assertEquals("driver", gpus.get(1).get("source"));
    }

    @Test
    void aHostWithoutTheDriverStillReportsItsGpusByPciId() throws Exception {
        List<Map<String, Object>> gpus = fixture("no-driver.txt");
        assertEquals(2, gpus.size(), "display controllers only, not the NVSwitch bridge: " + gpus);
        assertEquals(Arrays.asList("10de:2330", "10de:2330"), column(gpus, "pci_id"));
        assertEquals("NVIDIA Corporation GH100 [H100 SXM5 80GB]", gpus.get(0).get("name"));
        assertEquals(Arrays.asList(0, 1), column(gpus, "index"));
        assertEquals("lspci", gpus.get(1).get("source"));
        assertNull(gpus.get(0).get("driver_version"));
    }

    @Test
    void amdGpusByCountAndPciId() throws Exception {
        List<Map<String, Object>> gpus = fixture("amd.txt");
        assertEquals(2, gpus.size(), "not the BMC's display: " + gpus);
        assertEquals(Arrays.asList("amd", "amd"), column(gpus, "vendor"));
        assertEquals(Arrays.asList("0000:83:00.0", "0000:c1:00.0"), column(gpus, "pci_bus_id"));
        assertEquals(Arrays.asList("1002:740f", "1002:740f"), column(gpus, "pci_id"));
        assertEquals(Arrays.asList(0, 1), column(gpus, "index"));
    }

    @Test
    void noGpuIsAnEmptyList() throws Exception {
        assertEquals(List.of(), fixture("none.txt"));
        assertEquals(List.of(), GpuFactsParser.parse(""));
    }

    @Test
    void valuesAndBusIds() {
        assertNull(GpuFactsParser.value("[Not Supported]"));
        assertNull(GpuFactsParser.value(" [N/A] "));
        assertNull(GpuFactsParser.value("N/A"));
        assertEquals("Enabled", GpuFactsParser.value(" Enabled"));
        assertEquals("0000:07:00.0", GpuFactsParser.busId("00000000:07:00.0"));
        assertEquals("0001:a1:00.0", GpuFactsParser.busId("0001:A1:00.0"));
        assertEquals("0000:01:00.0", GpuFactsParser.busId("01:00.0"));
    }

    @Test
    void aNameWithACommaKeepsItsFields() {
        List<Map<String, Object>> gpus = GpuFactsParser.smi("0, Quadro RTX 8000, passive, GPU-x, 46080, 535.1, Disabled, [N/A], 00000000:3B:00.0\nrc=0", "");
        assertEquals("Quadro RTX 8000, passive", gpus.get(0).get("name"));
        assertEquals(46080, gpus.get(0).get("memory_total_mib"));
        assertEquals("0000:3b:00.0", gpus.get(0).get("pci_bus_id"));
    }

    @Test
    void theSnippetRunsOnThisMachineWithoutFailing() throws Exception {
        var f = GpuFacts.fact();
        FactOutput out = LocalHost.read(f);
        assertEquals(0, out.rc(), out.errText());
        assertNotNull(f.parse(out));
        assertEquals("facts:gpus", f.key());
    }
}
