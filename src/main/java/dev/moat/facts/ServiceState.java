package dev.moat.facts;

/**
 * A service as the host's service manager sees it. {@code running} and {@code enabled} are null when
 * moat cannot tell (no systemd, no init script, no pidfile): modules treat unknown as "not in the
 * wanted state" and act, since starting a running service is harmless.
 *
 * @param manager     {@code SYSTEMD} when PID 1 is systemd ({@code /run/systemd/system} exists), else {@code SYSV}
 * @param known       systemd knows the unit, or (SYSV) an init script, a pidfile or a binary of that name exists
 * @param initScript  (SYSV) {@code /etc/init.d/NAME} is executable
 * @param binary      a command of that name is on PATH (daemons with their own control, such as {@code nginx -s})
 */
public record ServiceState(String name, Manager manager, boolean known, Boolean running, Boolean enabled,
                           boolean initScript, boolean binary) {
    /** Which service manager controls the host. */
    public enum Manager { SYSTEMD, SYSV }
}
