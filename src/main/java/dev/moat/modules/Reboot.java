package dev.moat.modules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Args;
import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.Facts;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Reconnect;
import dev.moat.module.Reconnects;
import dev.moat.module.Spec;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.transport.Sh;

/**
 * Ansible's {@code reboot}, a designed disconnect: reads the boot id
 * ({@code boot_time_command}, by default {@code /proc/sys/kernel/random/boot_id}) with the play's
 * other reads, runs {@code shutdown -r MINUTES "msg"} ({@code pre_reboot_delay} in whole minutes,
 * as Ansible does on Linux), then the engine waits {@code post_reboot_delay}, reconnects until the
 * boot id changed (within {@code reboot_timeout}, each try at most {@code connect_timeout}) and
 * {@code test_command} succeeds, and goes on with the play over the fresh connection (same host-key
 * check). Registers {@code rebooted} and {@code elapsed}. Check mode reports "would reboot" and does
 * nothing. Undo: none; a rollback says the reboot cannot be undone and restores the rest.
 *
 * <pre>
 * - reboot: {reboot_timeout: 900, msg: "new NVIDIA driver", post_reboot_delay: 10, test_command: nvidia-smi}
 * </pre>
 */
public final class Reboot implements Module<Reboot.RebootArgs>, Reconnects<Reboot.RebootArgs> {
    static final String DEFAULT_BOOT_COMMAND = "cat /proc/sys/kernel/random/boot_id";
    static final List<String> SEARCH_PATHS = List.of("/sbin", "/bin", "/usr/sbin", "/usr/bin", "/usr/local/sbin");

    static final Spec SPEC = Spec.of(
            ArgSpec.optional("reboot_timeout", ArgType.INT, 600).withAliases("reboot_timeout_sec"),
            ArgSpec.optional("connect_timeout", ArgType.INT).withAliases("connect_timeout_sec"),
            ArgSpec.optional("pre_reboot_delay", ArgType.INT, 0).withAliases("pre_reboot_delay_sec"),
            ArgSpec.optional("post_reboot_delay", ArgType.INT, 0).withAliases("post_reboot_delay_sec"),
            ArgSpec.optional("test_command", ArgType.STRING, "whoami"),
            ArgSpec.optional("msg", ArgType.STRING, "Reboot initiated by Ansible"),
            ArgSpec.optional("boot_time_command", ArgType.STRING, DEFAULT_BOOT_COMMAND),
            ArgSpec.optional("reboot_command", ArgType.STRING),
            ArgSpec.optional("search_paths", ArgType.LIST));

    /** Validated arguments; delays below zero are zero, as in Ansible. */
    public record RebootArgs(int rebootTimeout, Integer connectTimeout, int preDelay, int postDelay, String testCommand,
                             String msg, String bootCommand, String rebootCommand, List<String> searchPaths) {
        public RebootArgs {
            searchPaths = List.copyOf(searchPaths);
        }
    }

    /** The boot id (or whatever {@code boot_time_command} prints) before the reboot. */
    record BootFact(String command) implements Fact<String> {
        @Override
        public String key() {
            return "boot:" + command;
        }

        @Override
        public String script() {
            return command;
        }

        @Override
        public String parse(FactOutput out) throws TaskException {
            if (out.rc() != 0) {
                throw new TaskException("reboot: failed to get host boot time info, rc: " + out.rc() + ", stdout: " + out.text().strip()
                        + ", stderr: " + out.errText().strip());
            }
            return out.text().strip();
        }
    }

    @Override
    public String name() {
        return "reboot";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public RebootArgs bind(Args a) throws ArgException {
        int timeout = a.integer("reboot_timeout");
        if (timeout <= 0) throw new ArgException("reboot_timeout", "reboot_timeout: must be a positive number of seconds, not " + timeout);
        Integer connect = a.integer("connect_timeout");
        if (connect != null && connect < 0) throw new ArgException("connect_timeout", "connect_timeout: must not be negative");
        String boot = a.str("boot_time_command");
        if (boot == null || boot.isBlank()) boot = DEFAULT_BOOT_COMMAND;
        String reboot = a.str("reboot_command");
        if (reboot != null && reboot.isBlank()) throw new ArgException("reboot_command", "reboot_command: empty");
        List<String> paths = a.has("search_paths") ? a.strings("search_paths") : SEARCH_PATHS;
        return new RebootArgs(timeout, connect == null || connect == 0 ? null : connect, Math.max(0, a.integer("pre_reboot_delay")),
                Math.max(0, a.integer("post_reboot_delay")), a.str("test_command"), a.str("msg"), boot, reboot, paths);
    }

    @Override
    public List<Fact<?>> reads(RebootArgs args) {
        return List.of(new BootFact(args.bootCommand()));
    }

    @Override
    public Plan plan(RebootArgs a, Facts facts, PlanContext ctx) throws TaskException {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("rebooted", true);
        result.put("elapsed", 0);
        // Fails the task, as Ansible's does, when the boot id cannot be read; a check run reads nothing more.
        if (!ctx.check()) facts.get(new BootFact(a.bootCommand()));
        return Plan.builder()
                .step(Step.run("reboot", command(a)))
                .undo(new Undo.Irreversible("reboot of the host (" + a.msg() + ")"))
                .touches("*")
                .build().withResult(result).withMessage(ctx.check() ? "would reboot" : "rebooted");
    }

    @Override
    public Reconnect reconnect(RebootArgs a, Facts facts) throws TaskException {
        String before = facts.get(new BootFact(a.bootCommand()));
        return new Reconnect(a.postDelay(), a.rebootTimeout(), 1, true, a.connectTimeout(), a.bootCommand(), before,
                a.testCommand(), "reboot");
    }

    /**
     * The command that reboots: {@code reboot_command} as given, else {@code shutdown} found in
     * {@code search_paths} with Linux's arguments ({@code -r MINUTES "msg"}; under a minute is 0).
     */
    static String command(RebootArgs a) {
        String bin = a.rebootCommand() == null ? "shutdown" : a.rebootCommand().split(" ", 2)[0];
        String args = a.rebootCommand() == null ? "-r " + a.preDelay() / 60 + " " + Sh.q(a.msg())
                : a.rebootCommand().contains(" ") ? a.rebootCommand().split(" ", 2)[1] : "";
        if (bin.startsWith("/")) return bin + (args.isEmpty() ? "" : " " + args);
        StringBuilder s = new StringBuilder("bin=\nfor d in");
        for (String p : a.searchPaths()) s.append(' ').append(Sh.q(p));
        s.append("; do if [ -e \"$d\"/").append(Sh.q(bin)).append(" ]; then bin=\"$d\"/").append(Sh.q(bin)).append("; break; fi; done\n");
        s.append("[ -n \"$bin\" ] || { echo ").append(Sh.q("Unable to find command \"" + bin + "\" in search paths: " + a.searchPaths()))
                .append(" >&2; exit 1; }\n");
        s.append("\"$bin\"").append(args.isEmpty() ? "" : " " + args).append('\n');
        return s.toString();
    }
}
