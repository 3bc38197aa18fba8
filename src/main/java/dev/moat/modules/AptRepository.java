package dev.moat.modules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
import dev.moat.module.SafeWrite;
import dev.moat.module.Spec;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.transport.Sh;

/**
 * A one-line apt source, as Ansible's {@code apt_repository}: {@code present} enables the line
 * wherever it already is (commented out included), else appends it to
 * {@code /etc/apt/sources.list.d/FILENAME.list} ({@code filename}, or a name made from the URI as
 * Ansible makes it); {@code absent} removes every enabled copy, and a file left empty. A file it
 * changes is written back the way Ansible writes it (one space between words, {@code # } before a
 * disabled line). With {@code update_cache} (the default) a change is followed by {@code apt-get
 * update}. {@code ppa:} sources (Launchpad) are refused by name; {@code codename} only matters for
 * them. {@code mode} applies to a file the line is added to.
 *
 * <p>Undo: every file it writes or removes is journaled and restored byte for byte; a refresh of apt's
 * lists cannot be undone (after a rollback, {@code apt-get update} forgets the removed source).
 *
 * <pre>
 * - apt_repository:
 *     repo: deb [signed-by=/etc/apt/keyrings/nvidia.gpg] https://nvidia.github.io/libnvidia-container/stable/deb/$(ARCH) /
 *     filename: nvidia-container-toolkit
 *     state: present
 * </pre>
 */
public final class AptRepository implements Module<AptRepository.RepoArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("repo", ArgType.STRING),
            ArgSpec.choice("state", "present", "absent", "present"),
            ArgSpec.optional("mode", ArgType.MODE),
            ArgSpec.optional("update_cache", ArgType.BOOL, true).withAliases("update-cache"),
            ArgSpec.optional("update_cache_retries", ArgType.INT, 5),
            ArgSpec.optional("update_cache_retry_max_delay", ArgType.INT, 12),
            ArgSpec.optional("filename", ArgType.STRING),
            ArgSpec.optional("install_python_apt", ArgType.BOOL, true),
            ArgSpec.optional("validate_certs", ArgType.BOOL, true),
            ArgSpec.optional("codename", ArgType.STRING));

    /** Validated arguments: {@code source} is the line as Ansible normalizes it. */
    public record RepoArgs(String source, boolean present, String mode, boolean updateCache, String filename) {}

    @Override
    public String name() {
        return "apt_repository";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public RepoArgs bind(Args a) throws ArgException {
        String repo = a.str("repo");
        if (repo.isBlank()) throw new ArgException("repo", "Please set argument 'repo' to a non-empty value");
        if (repo.strip().startsWith("ppa:")) {
            throw new ArgException("repo", "ppa: sources are not supported by moat (they need Launchpad's API); write the deb line, or use deb822_repository");
        }
        AptSources.Line l = AptSources.line(repo);
        if (!l.valid() || !l.enabled()) throw new ArgException("repo", "Invalid repository string: " + repo);
        if (l.source().indexOf('\'') >= 0 || l.source().indexOf('\n') >= 0) throw new ArgException("repo", "Invalid repository string: " + repo);
        String filename = a.str("filename");
        if (filename != null && (filename.isBlank() || filename.contains("\0") || filename.contains(".."))) {
            throw new ArgException("filename", "'" + filename + "' is not a file name");
        }
        return new RepoArgs(l.source(), a.str("state").equals("present"), a.str("mode"), a.bool("update_cache"), filename);
    }

    @Override
    public List<Fact<?>> reads(RepoArgs args) {
        return List.of(AptSources.FACT);
    }

    /** The file a new line goes to: Ansible's {@code _expand_path} of {@code filename.list} or of the suggested name. */
    static String target(RepoArgs args) {
        String f = args.filename() != null ? args.filename() + ".list" : AptSources.suggestFilename(args.source());
        return f.contains("/") ? f : AptSources.PARTS + "/" + f;
    }

    @Override
    public Plan plan(RepoArgs args, Facts facts, PlanContext ctx) throws TaskException {
        Map<String, List<AptSources.Line>> before = AptSources.parse(facts.get(AptSources.FACT).stdout());
        Map<String, List<AptSources.Line>> after = new LinkedHashMap<>();
        before.forEach((k, v) -> after.put(k, new ArrayList<>(v)));
        Set<String> added = new LinkedHashSet<>();
        if (args.present()) {
            boolean found = false;
            for (List<AptSources.Line> lines : after.values()) {
                for (int i = 0; i < lines.size(); i++) {
                    AptSources.Line l = lines.get(i);
                    if (l.valid() && l.source().equals(args.source())) {
                        lines.set(i, new AptSources.Line(true, true, l.source(), l.comment()));
                        found = true;
                    }
                }
            }
            if (!found) {
                String t = target(args);
                after.computeIfAbsent(t, k -> new ArrayList<>()).add(new AptSources.Line(true, true, args.source(), ""));
                added.add(t);
            }
        } else {
            for (List<AptSources.Line> lines : after.values()) lines.removeIf(l -> l.valid() && l.enabled() && l.source().equals(args.source()));
        }
        Plan.Builder b = Plan.builder().result("repo", args.source()).result("state", args.present() ? "present" : "absent");
        List<String> sourcesAdded = new ArrayList<>();
        List<String> sourcesRemoved = new ArrayList<>();
        for (Map.Entry<String, List<AptSources.Line>> e : after.entrySet()) {
            String path = e.getKey();
            List<AptSources.Line> old = before.get(path);
            String was = old == null ? null : AptSources.render(old);
            String now = AptSources.render(e.getValue());
            if (e.getValue().isEmpty()) {
                if (old == null || old.isEmpty()) continue;
                b.step(Step.run("remove " + path, "rm -f -- " + Sh.q(path)));
                b.diff(Diff.file(path, was, ""));
                sourcesRemoved.add(path);
            } else if (!now.equals(was)) {
                String onTemp = added.contains(path) && args.mode() != null ? "chmod " + Sh.q(args.mode()) + " \"$t/new\"\n" : "";
                b.step(Step.write("write " + path, SafeWrite.create(path, onTemp, "apt_repository"), now));
                b.diff(Diff.file(path, was == null ? "" : was, now));
                if (old == null) sourcesAdded.add(path);
            } else {
                continue;
            }
            b.undo(new Undo.RestorePath(path)).touches("file:" + path).writes(path);
        }
        b.result("sources_added", sourcesAdded).result("sources_removed", sourcesRemoved);
        if (b.hasSteps() && args.updateCache()) {
            b.step(Step.run("apt-get update", Apt.APT_GET + Apt.LOCK_TIMEOUT + " update"));
            b.undo(new Undo.Irreversible("apt package lists refreshed with the sources of " + String.join(", ", sourcesAdded.isEmpty() ? List.of(args.source()) : sourcesAdded)));
            b.touches("*");
        }
        return b.build();
    }
}
