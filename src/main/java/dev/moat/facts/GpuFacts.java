package dev.moat.facts;

import java.util.List;
import java.util.Map;

import dev.moat.module.Fact;

/**
 * The host's GPUs ({@code ansible_facts.gpus}, also {@code moat_gpus}), read by one snippet in the
 * play's batched read: {@code nvidia-smi --query-gpu} when it works, else the NVIDIA driver's
 * {@code /proc/driver/nvidia/gpus/}, else {@code lspci -d 10de:} (a host whose driver is not
 * installed yet still reports its GPUs); AMD GPUs from {@code /sys/class/drm/card}{@code N/device}.
 * {@link GpuFactsParser} gives one map per GPU.
 */
public final class GpuFacts {
    public static final String KEY = "facts:gpus";
    private static final Fact<List<Map<String, Object>>> FACT = new ScriptFact<>(KEY, FactScripts.load("gpu-facts.sh"), GpuFactsParser::parse);

    private GpuFacts() {}

    public static Fact<List<Map<String, Object>>> fact() {
        return FACT;
    }
}
