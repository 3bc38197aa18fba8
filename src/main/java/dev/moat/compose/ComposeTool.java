package dev.moat.compose;

/**
 * Which Compose the host has: the v2 plugin ({@code docker compose version} succeeds) and/or a
 * standalone {@code docker-compose} (Debian's 1.29 is v1; a standalone v2 binary exists too), with
 * the versions they report ({@code --short}).
 */
public record ComposeTool(boolean plugin, String pluginVersion, boolean standalone, String standaloneVersion) {
    /** What compose_ports uses: the semantics it writes for and the command that recreates (null when none is installed). */
    public record Choice(Flavour flavour, String command) {}

    /**
     * {@code auto}: recreate with the plugin if present, else docker-compose; write for v1 whenever
     * a v1 docker-compose is installed (the short form it needs is valid for v2 as well, so the
     * file keeps working with whichever of the two someone runs next), else for v2. {@code v1}: v1 semantics, {@code docker-compose}.
     * {@code v2}: v2 semantics, the plugin unless only a standalone v2 binary is there.
     */
    public Choice choose(String mode) {
        String m = mode == null ? "auto" : mode;
        boolean standaloneV1 = standalone && (standaloneVersion == null || standaloneVersion.isBlank()
                || standaloneVersion.strip().replaceFirst("^v", "").startsWith("1."));
        switch (m) {
            case "v1":
                return new Choice(Flavour.V1, "docker-compose");
            case "v2":
                return new Choice(Flavour.V2, !plugin && standalone && !standaloneV1 ? "docker-compose" : "docker compose");
            default:
                Flavour f = standaloneV1 ? Flavour.V1 : Flavour.V2;
                return new Choice(f, plugin ? "docker compose" : standalone ? "docker-compose" : null);
        }
    }
}
