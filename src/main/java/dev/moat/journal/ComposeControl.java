package dev.moat.journal;

import java.util.List;

import dev.moat.transport.Sh;

/** Recreates compose services from their (restored) file, with the v2 plugin when present, else v1. */
final class ComposeControl {
    private ComposeControl() {}

    static String recreate(Undo.RecreateCompose c) {
        StringBuilder base = new StringBuilder("$dc");
        for (String f : c.files()) base.append(" -f ").append(Sh.q(f));
        if (c.project() != null) base.append(" -p ").append(Sh.q(c.project()));
        String what = "recreating " + String.join(" ", c.services()) + (c.stopped().isEmpty() ? "" : " " + String.join(" ", c.stopped()))
                + " from " + c.composeFile();
        String fail = " >/dev/null 2>&1 || { echo " + Sh.q(what + " failed") + " >&2; exit 5; }\n";
        StringBuilder s = new StringBuilder();
        s.append("cd ").append(c.dir() != null ? Sh.q(c.dir()) : "\"$(dirname " + Sh.q(c.composeFile()) + ")\"").append('\n');
        s.append("if docker compose version >/dev/null 2>&1; then dc='docker compose'; else dc=docker-compose; fi\n");
        if (!c.services().isEmpty()) s.append(base).append(" up -d --no-deps --force-recreate").append(words(c.services())).append(fail);
        if (!c.stopped().isEmpty()) s.append(base).append(" up --no-start --no-deps --force-recreate").append(words(c.stopped())).append(fail);
        return s.toString();
    }

    private static String words(List<String> ws) {
        StringBuilder s = new StringBuilder();
        for (String w : ws) s.append(' ').append(Sh.q(w));
        return s.toString();
    }
}
