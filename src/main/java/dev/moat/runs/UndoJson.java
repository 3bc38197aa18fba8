package dev.moat.runs;

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
            case "RestorePath": return new Undo.RestorePath(maskedOrPath(n.path("path").asText("")));
            case "RestoreFirewall": return new Undo.RestoreFirewall();
            case "RemovePackages": return new Undo.RemovePackages(names(n.path("packages"), PACKAGE, "package"));
            case "RestoreService":
                return new Undo.RestoreService(name(n.path("service").asText(), SERVICE, "service"), n.path("running").asBoolean(),
                        n.path("enabled").isNull() || n.path("enabled").isMissingNode() ? null : n.path("enabled").asBoolean());
            case "RestoreUnit":
                return new Undo.RestoreUnit(name(n.path("unit").asText(), SERVICE, "unit"), n.path("active").asBoolean(),
                        n.path("enabled").isNull() || n.path("enabled").isMissingNode() ? null : n.path("enabled").asBoolean(),
                        n.path("masked").asBoolean());
            case "RestoreSysctl": {
                String value = n.path("value").asText();
                if (value.contains(dev.moat.template.Secrets.MASK)) throw MoatException.invalid("the run record's sysctl undo holds a masked value: restore it by hand");
                try {
                    return new Undo.RestoreSysctl(n.path("sysctl").asText(), value);
                } catch (IllegalArgumentException e) {
                    throw MoatException.invalid("the run record's undo names a sysctl '" + n.path("sysctl").asText() + "' that is not valid");
                }
            }
            case "RecreateCompose":
                return new Undo.RecreateCompose(path(n, "file"), names(n.path("services"), SERVICE, "compose service"),
                        n.path("project").isNull() || n.path("project").isMissingNode() ? null : name(n.path("project").asText(), SERVICE, "compose project"),
                        n.path("dir").isNull() || n.path("dir").isMissingNode() ? null : path(n, "dir"),
                        paths(n.path("files")), names(n.path("stopped"), SERVICE, "compose service"));
            case "RecreateContainer": {
                String id = name(n.path("id").asText(), CONTAINER_ID, "container ID");
                String saved = path(n, "saved");
                if (!saved.equals(dev.moat.journal.ContainerControl.saved(id))) {
                    throw MoatException.invalid("the run record's container undo keeps its configuration at '" + saved
                            + "', not where moat keeps it (" + dev.moat.journal.ContainerControl.saved(id) + ")");
                }
                return new Undo.RecreateContainer(name(n.path("container").asText(), CONTAINER, "container"), id, saved);
            }
            case "RemoveDocker":
                try {
                    return new Undo.RemoveDocker(n.path("docker").asText(), n.path("name").asText(), names(n.path("services"), SERVICE, "compose service"));
                } catch (IllegalArgumentException e) {
                    throw MoatException.invalid("the run record's docker undo is not valid: " + e.getMessage());
                }
            case "Reload": // an old record's script is never read
                return new Undo.Reload(name(n.path("service").asText(), SERVICE, "service"), n.path("restart").asBoolean(false));
            case "RestoreSelection":
                try {
                    return new Undo.RestoreSelection(n.path("package").asText(), n.path("selection").asText());
                } catch (IllegalArgumentException e) {
                    throw MoatException.invalid("the run record's dpkg selection undo is not valid: " + e.getMessage());
                }
            case "Unmount": return new Undo.Unmount(path(n, "path"), n.path("remove_dir").asBoolean());
            case "Irreversible": return new Undo.Irreversible(n.path("what").asText());
            default: throw MoatException.invalid("the run record names an unknown undo kind '" + kind + "'");
        }
    }

    /** Debian package names (with an optional :arch). */
    private static final java.util.regex.Pattern PACKAGE = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9+.-]*(:[a-z0-9-]+)?");
    /** Service, compose service and project names: never an option, never shell. */
    private static final java.util.regex.Pattern SERVICE = java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9@._-]*");

    /** Docker's container names ({@code [a-zA-Z0-9][a-zA-Z0-9_.-]+}). */
    private static final java.util.regex.Pattern CONTAINER = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    /** A full container ID: 64 hex digits. */
    private static final java.util.regex.Pattern CONTAINER_ID = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    /** An absolute path without a newline or NUL: what a journal entry may name on a host. */
    private static String path(JsonNode n, String field) {
        return path(n.path(field).asText(""), field);
    }

    private static String path(String p, String field) {
        // First: a path made from a secret is masked whole or in part, and is refused as such.
        if (p.contains(dev.moat.template.Secrets.MASK)) {
            throw MoatException.invalid("the run record's undo has a " + field + " that held a secret, masked as '" + p
                    + "': it cannot be rolled back from the record (restore it by hand)");
        }
        if (!p.startsWith("/") || p.indexOf('\n') >= 0 || p.indexOf('\0') >= 0) {
            throw MoatException.invalid("the run record's undo has a " + field + " that is not an absolute path: '" + p + "'");
        }
        return p;
    }

    /**
     * A journaled path, which may be masked where it was made from a secret: the host's journal
     * entry names the real one, and the restore reads it there ({@code Journal.assignPath}).
     */
    private static String maskedOrPath(String p) {
        String mask = dev.moat.template.Secrets.MASK;
        if (!p.contains(mask)) return path(p, "path");
        String shown = p.replace(mask, "/x"); // a mask at the start stands for an absolute path's start
        if (!shown.startsWith("/") || shown.indexOf('\n') >= 0 || shown.indexOf('\0') >= 0) {
            throw MoatException.invalid("the run record's undo has a path that is not an absolute path: '" + p + "'");
        }
        return p;
    }

    private static List<String> paths(JsonNode a) {
        List<String> out = new ArrayList<>();
        for (JsonNode x : a) out.add(path(x.asText(""), "file"));
        return out;
    }

    private static String name(String v, java.util.regex.Pattern allowed, String what) {
        if (!allowed.matcher(v).matches()) throw MoatException.invalid("the run record's undo names a " + what + " '" + v + "' that is not a valid name");
        return v;
    }

    private static List<String> names(JsonNode a, java.util.regex.Pattern allowed, String what) {
        List<String> out = new ArrayList<>();
        for (JsonNode x : a) out.add(name(x.asText(), allowed, what));
        return out;
    }
}
