package dev.moat.cli;

import picocli.CommandLine;

/** The version from the jar's manifest (set by Maven), or "dev" when run from classes. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"moat " + (v == null ? "dev" : v) + " (Java " + System.getProperty("java.version") + ")"};
    }
}
