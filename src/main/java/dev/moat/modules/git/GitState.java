package dev.moat.modules.git;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link GitFact} read. {@code head}, {@code url}, {@code branch}, {@code local} are empty
 * when unknown; {@code refs} maps each ref the remote listed ({@code HEAD}, {@code refs/heads/..},
 * {@code refs/tags/..}, {@code refs/tags/..^{}}) to its commit, {@code headRef} is the branch the
 * remote's HEAD points to; {@code remoteRc}/{@code remoteError} are ls-remote's status and stderr.
 */
public record GitState(boolean repo, String head, String url, String branch, int mods, String local, boolean submodules,
                       boolean nonEmpty, int remoteRc, Map<String, String> refs, String headRef, String remoteError) {
    public GitState {
        refs = Map.copyOf(refs);
    }

    /** Parses the fact's output (also used by tests on recorded outputs). */
    public static GitState parse(String text) {
        Map<String, String> kv = new LinkedHashMap<>();
        Map<String, String> refs = new LinkedHashMap<>();
        StringBuilder err = new StringBuilder();
        String headRef = "";
        int rc = 0;
        String section = "";
        for (String line : text.split("\n")) {
            if (line.startsWith("@@remote ")) {
                section = "remote";
                rc = Integer.parseInt(line.substring(9).strip());
            } else if (line.equals("@@err") && section.equals("remote")) {
                section = "err";
            } else if (section.equals("remote")) {
                String[] f = line.split("\t", 2);
                if (f.length < 2) continue;
                if (f[0].startsWith("ref: ")) {
                    if (f[1].equals("HEAD")) headRef = f[0].substring(5).replaceFirst("^refs/heads/", "");
                } else {
                    refs.putIfAbsent(f[1], f[0]);
                }
            } else if (section.equals("err")) {
                err.append(line).append('\n');
            } else {
                int eq = line.indexOf('=');
                if (eq > 0) kv.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        int mods = 0;
        try {
            mods = Integer.parseInt(kv.getOrDefault("mods", "0").strip());
        } catch (NumberFormatException e) {
            mods = 0;
        }
        return new GitState("yes".equals(kv.get("repo")), kv.getOrDefault("head", ""), kv.getOrDefault("url", ""),
                kv.getOrDefault("branch", ""), mods, kv.getOrDefault("local", ""), "yes".equals(kv.get("submodules")),
                "yes".equals(kv.get("nonempty")), rc, refs, headRef, err.toString().strip());
    }
}
