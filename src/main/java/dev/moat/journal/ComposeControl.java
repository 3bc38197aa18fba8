package dev.moat.journal;

import java.util.List;

import dev.moat.transport.Sh;

/** Recreates compose services from their (restored) file, with the v2 plugin when present, else v1. */
final class ComposeControl {
    private ComposeControl() {}

    static String recreate(String file, List<String> services) {
        StringBuilder svc = new StringBuilder();
        for (String s : services) svc.append(' ').append(Sh.q(s));
        String f = Sh.q(file);
        return "cd \"$(dirname " + f + ")\"\n"
                + "if docker compose version >/dev/null 2>&1; then dc='docker compose'; else dc=docker-compose; fi\n"
                + "$dc -f " + f + " up -d --no-deps --force-recreate" + svc + " >/dev/null 2>&1 || "
                + "{ echo \"recreating" + svc.toString().replace("'", "") + " from " + file.replace("'", "") + " failed\" >&2; exit 5; }\n";
    }
}
