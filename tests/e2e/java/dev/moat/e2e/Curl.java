package dev.moat.e2e;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** curl from this machine, the bridge side of the testbed: what other hosts on the internet would see. */
final class Curl {
    private Curl() {}

    /** The HTTP status of {@code http://address:port/}, or "none" when nothing answers in 3 s. */
    static String status(String address, int port) throws IOException, InterruptedException {
        String code = run("-m", "3", "-o", "/dev/null", "-w", "%{http_code}", "http://" + address + ":" + port + "/");
        return code.isEmpty() || code.equals("000") ? "none" : code;
    }

    /** curl -s -m 10 (an earlier -m wins) with {@code args}: its output, stderr included, stripped. */
    static String run(String... args) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("curl", "-s"));
        if (!List.of(args).contains("-m")) c.addAll(List.of("-m", "10"));
        c.addAll(List.of(args));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return out;
    }
}
