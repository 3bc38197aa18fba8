package dev.moat.modules.system;

/** What a systemd unit name may be here: never an option (a leading '-'), never a glob, never shell: what a run record
 * may name too ({@code dev.moat.runs.UndoJson}). */
public final class Units {
    private Units() {}

    public static boolean isName(String name) {
        return name.matches("[A-Za-z0-9_][A-Za-z0-9@._-]*");
    }
}
