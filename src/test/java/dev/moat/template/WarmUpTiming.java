package dev.moat.template;

import java.util.Map;

/**
 * Not a test: measures, in a fresh JVM, the latency of the first render with and without
 * {@link Templar#warmUp()}. {@code java -cp ... dev.moat.template.WarmUpTiming cold|warm [ms of other startup work]}.
 */
public final class WarmUpTiming {
    public static void main(String[] args) throws Exception {
        boolean warm = args.length > 0 && args[0].equals("warm");
        long other = args.length > 1 ? Long.parseLong(args[1]) : 800;
        long t0 = System.nanoTime();
        if (warm) Templar.warmUp();
        Templar t = new Templar(null, new Secrets());
        long built = System.nanoTime();
        Thread.sleep(other); // stands for inventory loading and SSH connects
        long s = System.nanoTime();
        Object out = t.render("{{ ports | map('string') | join(',') }}", Vars.of(Map.of("ports", java.util.List.of(8000, 11434))));
        long e = System.nanoTime();
        Object out2 = t.render("{{ x + 1 }}", Vars.of(Map.of("x", 1)));
        long e2 = System.nanoTime();
        System.out.printf("%s: construct %.1f ms, first render %.1f ms (after %d ms of other work), second %.2f ms -> %s %s%n",
                warm ? "warm-up" : "cold", (built - t0) / 1e6, (e - s) / 1e6, other, (e2 - e) / 1e6, out, out2);
    }
}
