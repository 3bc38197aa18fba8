package dev.moat.cli;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.moat.MoatException;
import dev.moat.journal.Undo;

/** Reads back the undo records that {@link ResultJson#undo} wrote into a run record. */
final class UndoJson {
    private UndoJson() {}

    static Undo parse(JsonNode n) {
        String kind = n.path("kind").asText();
        switch (kind) {
            case "RestorePath": return new Undo.RestorePath(n.path("path").asText());
            case "RestoreFirewall": return new Undo.RestoreFirewall();
            case "RemovePackages": return new Undo.RemovePackages(strings(n.path("packages")));
            case "RestoreService":
                return new Undo.RestoreService(n.path("service").asText(), n.path("running").asBoolean(),
                        n.path("enabled").isNull() || n.path("enabled").isMissingNode() ? null : n.path("enabled").asBoolean());
            case "RecreateCompose":
                return new Undo.RecreateCompose(n.path("file").asText(), strings(n.path("services")), n.path("project").asText(null),
                        n.path("dir").asText(null), strings(n.path("files")), strings(n.path("stopped")));
            // An old record's "script" is ignored: the journal builds the reload from the name.
            case "Reload": return reload(n.path("service").asText());
            case "Irreversible": return new Undo.Irreversible(n.path("what").asText());
            default: throw MoatException.invalid("the run record names an unknown undo kind '" + kind + "'");
        }
    }

    private static Undo reload(String service) {
        try {
            return new Undo.Reload(service);
        } catch (IllegalArgumentException e) {
            throw MoatException.invalid("the run record names a reload of '" + service + "', which is not a service name");
        }
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        for (JsonNode x : a) out.add(x.asText());
        return out;
    }
}
