package dev.moat.compose;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Test helper: runs a script with the local /bin/sh, as the engine would on a host. */
final class LocalSh {
    private LocalSh() {}

    record Result(int rc, byte[] out, String err) {
        String text() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    static Result run(String script, byte[] stdin, Path dir, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script);
        if (dir != null) pb.directory(dir.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().write(stdin == null ? new byte[0] : stdin);
        p.getOutputStream().close();
        byte[] err = p.getErrorStream().readAllBytes();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) throw new IllegalStateException("script hung");
        return new Result(p.exitValue(), out, new String(err, StandardCharsets.UTF_8));
    }
}
