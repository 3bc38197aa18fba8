package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.moat.facts.FileFact;
import dev.moat.facts.FileState;
import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Args;
import dev.moat.module.Diff;
import dev.moat.module.Fact;
import dev.moat.module.Facts;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Spec;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.modules.system.TimezoneFact;
import dev.moat.transport.Sh;

/**
 * The host's time zone, as {@code community.general.timezone} on Linux: where {@code timedatectl}
 * answers (systemd is PID 1) the zone it reports, set with {@code timedatectl set-timezone}; elsewhere
 * (Debian) the first word of /etc/timezone checked against /etc/localtime (its link target, or its
 * bytes against the zone's file), set by rewriting /etc/timezone as Ansible does (the first
 * non-indented line replaced, the others dropped), {@code ln -sf} of the zone's file and
 * {@code dpkg-reconfigure --frontend noninteractive tzdata}. {@code hwclock} is refused: a test host
 * or container has no hardware clock to set, and a real server's is set by its firmware settings.
 * Undo: /etc/timezone and /etc/localtime restored byte for byte (debconf's record of the zone is not).
 *
 * <pre>
 * - timezone:
 *     name: Europe/Paris
 * </pre>
 */
public final class Timezone implements Module<Timezone.TimezoneArgs> {
    static final String CONFIG = "/etc/timezone";
    static final String LOCALTIME = "/etc/localtime";
    private static final Pattern LINK = Pattern.compile("(?:/(?:usr/share|etc)/zoneinfo/)(.*)");

    static final Spec SPEC = Spec.of(
            ArgSpec.optional("name", ArgType.STRING),
            ArgSpec.choice("hwclock", null, "local", "UTC").withAliases("rtc"));

    /** Validated arguments. */
    public record TimezoneArgs(String name) {}

    @Override
    public String name() {
        return "timezone";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public TimezoneArgs bind(Args a) throws ArgException {
        if (a.str("hwclock") != null) {
            throw new ArgException("hwclock", "hwclock is not supported by moat: it sets the zone only (a container has no hardware clock, and Ansible's hwclock --systohc fails there)");
        }
        String name = a.str("name");
        if (name == null) throw new ArgException("name", "one of the following is required: hwclock, name");
        if (name.isEmpty() || name.startsWith("/") || name.startsWith("-") || name.contains("..") || !name.matches("[A-Za-z0-9_+./-]+")) {
            throw new ArgException("name", "given timezone \"" + name + "\" is not available");
        }
        return new TimezoneArgs(name);
    }

    @Override
    public List<Fact<?>> reads(TimezoneArgs args) {
        return List.of(new TimezoneFact(args.name()), new FileFact(CONFIG), new FileFact("/etc"));
    }

    @Override
    public Plan plan(TimezoneArgs args, Facts facts, PlanContext ctx) throws TaskException {
        Map<String, String> tz = facts.get(new TimezoneFact(args.name()));
        String want = args.name();
        if (!"yes".equals(tz.get("zonefile"))) throw new TaskException("Error message:\ngiven timezone \"" + want + "\" is not available");
        boolean systemd = "yes".equals(tz.get("timedatectl"));
        FileState config = facts.get(new FileFact(CONFIG));
        String before = systemd ? tz.getOrDefault("zone", "") : current(want, tz, config);
        Plan.Builder b = Plan.builder();
        if (before.equals(want)) return b.build();
        b.diff(Diff.of("timezone", before + "\n", want + "\n"));
        // Both files first: the snapshots are taken before any step runs.
        b.undo(new Undo.RestorePath(LOCALTIME)).undo(new Undo.RestorePath(CONFIG));
        if (systemd) {
            b.step(Step.run("timedatectl set-timezone " + want, "timedatectl set-timezone " + Sh.q(want)));
        } else {
            if (!"yes".equals(tz.get("debian"))) {
                throw new TaskException("timezone without systemd is supported on Debian-family hosts only (no dpkg-reconfigure here)");
            }
            if (config.exists() && (!config.isFile() || config.text() == null)) throw new TaskException(CONFIG + " is not a text file");
            byte[] text = edit(config.isFile() ? config.text() : "", want).getBytes(StandardCharsets.UTF_8);
            Plan.Builder write = Plan.builder();
            FileWrite.plan(write, CONFIG, text, Attrs.NONE, null, config, facts.get(new FileFact("/etc")), ctx.check());
            write.build().steps().forEach(b::step);
            b.step(Step.run("link " + LOCALTIME, "ln -sf " + Sh.q(TimezoneFact.ZONEINFO + want) + " " + LOCALTIME));
            b.step(Step.run("dpkg-reconfigure tzdata", "DEBIAN_FRONTEND=noninteractive dpkg-reconfigure --frontend noninteractive tzdata >/dev/null 2>&1"));
        }
        b.touches("file:" + LOCALTIME).touches("file:" + CONFIG);
        return b.build();
    }

    /** Ansible's NosystemdTimezone.get('name'): /etc/timezone's zone, then /etc/localtime's when the file agrees. */
    static String current(String planned, Map<String, String> tz, FileState config) {
        String value = "n/a";
        if (config.isFile() && config.text() != null) {
            Matcher m = Pattern.compile("^(\\S+)", Pattern.MULTILINE).matcher(config.text());
            if (m.find()) value = m.group(1);
        }
        if (!value.equals(planned)) return value;
        String link = tz.get("link");
        if (link != null) {
            if (!"yes".equals(tz.get("linkok"))) return "n/a";
            Matcher m = LINK.matcher(link);
            if (!m.find()) return "n/a";
            return m.group(1);
        }
        return "yes".equals(tz.get("same")) ? value : "n/a";
    }

    /** Ansible's _edit_file: every line matching {@code ^\S} removed, the zone's line put where the first was. */
    static String edit(String text, String zone) {
        List<String> lines = new ArrayList<>(Modprobe.lines(text));
        int first = -1;
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isEmpty() && !Character.isWhitespace(lines.get(i).charAt(0))) {
                lines.remove(i);
                first = i;
            }
        }
        lines.add(first < 0 ? 0 : first, zone + "\n");
        return String.join("", lines);
    }
}
