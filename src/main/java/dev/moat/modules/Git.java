package dev.moat.modules;

import java.util.ArrayList;
import java.util.List;

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
import dev.moat.modules.git.GitFact;
import dev.moat.modules.git.GitState;
import dev.moat.transport.Sh;

/**
 * A git checkout at a version, as {@code ansible.builtin.git}: {@code repo} cloned into
 * {@code dest} (with {@code depth}, {@code single_branch}) unless {@code clone: false}, an existing
 * checkout fetched and switched to {@code version} (a branch, tag or commit; HEAD: the remote
 * branch of the one checked out) unless {@code update: false}. Local modifications fail the task
 * unless {@code force}, which discards them ({@code git reset --hard}). The remote URL is set to
 * {@code repo} when it differs. Returns {@code before}, {@code after} and {@code remote_url_changed}
 * as Ansible does; the read asks the remote with {@code git ls-remote} as Ansible's check mode does.
 *
 * <p>{@code accept_hostkey} maps as in Ansible: the host's own {@code ssh} to the git server runs
 * with {@code StrictHostKeyChecking=no} ({@code accept_newhostkey}: {@code accept-new}); moat's
 * connection to the host keeps verifying its key. Not supported (refused by name): {@code bare},
 * {@code reference}, {@code refspec}, {@code separate_git_dir}, {@code archive}, {@code verify_commit},
 * {@code track_submodules}, and a checkout with submodules while {@code recursive} is on.
 * Differences: with {@code clone: false} and no checkout, Ansible reports "changed" without doing
 * anything; moat reports ok. The diff names the commits ({@code before} → {@code after}), not
 * Ansible's {@code git diff} of them (which needs a fetch during the check).
 * Undo: {@code dest} restored byte for byte (the previous commit, branch and work tree), or
 * removed when the run cloned it.
 *
 * <pre>
 * - git:
 *     repo: https://github.com/example/app.git
 *     dest: /opt/app
 *     version: v1.2.0
 * </pre>
 */
public final class Git implements Module<Git.GitArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("repo", ArgType.STRING).withAliases("name"),
            ArgSpec.optional("dest", ArgType.STRING),
            ArgSpec.optional("version", ArgType.STRING, "HEAD"),
            ArgSpec.optional("remote", ArgType.STRING, "origin"),
            ArgSpec.optional("force", ArgType.BOOL, false),
            ArgSpec.optional("depth", ArgType.INT),
            ArgSpec.optional("clone", ArgType.BOOL, true),
            ArgSpec.optional("update", ArgType.BOOL, true),
            ArgSpec.optional("accept_hostkey", ArgType.BOOL, false),
            ArgSpec.optional("accept_newhostkey", ArgType.BOOL, false),
            ArgSpec.optional("key_file", ArgType.STRING),
            ArgSpec.optional("ssh_opts", ArgType.STRING),
            ArgSpec.optional("executable", ArgType.STRING),
            ArgSpec.optional("recursive", ArgType.BOOL, true),
            ArgSpec.optional("single_branch", ArgType.BOOL, false),
            ArgSpec.optional("umask", ArgType.RAW),
            ArgSpec.optional("bare", ArgType.BOOL, false),
            ArgSpec.optional("reference", ArgType.STRING),
            ArgSpec.optional("refspec", ArgType.STRING),
            ArgSpec.optional("separate_git_dir", ArgType.STRING),
            ArgSpec.optional("archive", ArgType.STRING),
            ArgSpec.optional("archive_prefix", ArgType.STRING),
            ArgSpec.optional("verify_commit", ArgType.BOOL, false),
            ArgSpec.optional("gpg_whitelist", ArgType.LIST),
            ArgSpec.optional("track_submodules", ArgType.BOOL, false))
            .exclusive("accept_hostkey", "accept_newhostkey");

    /** Validated arguments; {@code repo} with a leading {@code /} made a file:// URL, as Ansible does. */
    public record GitArgs(String repo, String dest, String version, String remote, boolean force, Integer depth, boolean allowClone,
                          boolean update, String git, String sshCommand, boolean recursive, boolean singleBranch, String umask) {
        GitFact fact() {
            return new GitFact(dest, repo, version, remote, git, sshCommand);
        }
    }

    @Override
    public String name() {
        return "git";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public GitArgs bind(Args a) throws ArgException {
        for (String unsupported : List.of("bare", "verify_commit", "track_submodules")) {
            if (a.bool(unsupported)) throw new ArgException(unsupported, unsupported + " is not supported by moat's git module");
        }
        for (String unsupported : List.of("reference", "refspec", "separate_git_dir", "archive", "archive_prefix")) {
            if (a.str(unsupported) != null) throw new ArgException(unsupported, unsupported + " is not supported by moat's git module");
        }
        if (!a.strings("gpg_whitelist").isEmpty()) throw new ArgException("gpg_whitelist", "gpg_whitelist is not supported by moat's git module (verify_commit is not)");
        String repo = a.str("repo");
        if (repo.startsWith("~")) throw new ArgException("repo", "repo: a path starting with ~ is not supported by moat; give an absolute path");
        if (repo.startsWith("/")) repo = "file://" + repo;
        String dest = a.str("dest");
        boolean clone = a.bool("clone");
        if (dest == null) {
            if (clone) throw new ArgException("dest", "the destination directory must be specified unless clone=no");
            throw new ArgException("dest", "git without dest (clone=no, to ask the remote only) is not supported by moat");
        }
        if (!dest.startsWith("/")) throw new ArgException("dest", "dest must be an absolute path on the host: '" + dest + "'");
        dest = dest.replaceAll("/+$", "");
        if (dest.isEmpty() || dest.indexOf('\n') >= 0 || dest.indexOf('\0') >= 0) throw new ArgException("dest", "dest must not be /");
        String version = a.str("version", "HEAD");
        if (version.isEmpty() || version.startsWith("-") || version.matches("(?s).*[\\s\\x00].*")) throw new ArgException("version", "not a git version: '" + version + "'");
        String remote = a.str("remote", "origin");
        if (!remote.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) throw new ArgException("remote", "not a remote name: '" + remote + "'");
        Integer depth = a.integer("depth");
        if (depth != null && depth < 1) throw new ArgException("depth", "depth must be a positive integer");
        Object umaskRaw = a.raw("umask");
        String umask = null;
        if (umaskRaw != null) {
            if (!(umaskRaw instanceof String s)) throw new ArgException("umask", "umask must be defined as a quoted octal integer");
            if (!s.matches("0?[0-7]{1,3}")) throw new ArgException("umask", "umask must be an octal integer");
            umask = s;
        }
        String ssh = ssh(a.str("key_file"), a.str("ssh_opts"), a.bool("accept_hostkey"), a.bool("accept_newhostkey"));
        String git = a.str("executable", "git");
        return new GitArgs(repo, dest, version, remote, a.bool("force"), depth, clone, a.bool("update"), git, ssh,
                a.bool("recursive"), a.bool("single_branch"), umask);
    }

    /** GIT_SSH_COMMAND as Ansible's set_git_ssh_env builds it, or null when nothing needs it. */
    static String ssh(String keyFile, String opts, boolean acceptHostkey, boolean acceptNew) {
        if (acceptHostkey || acceptNew) {
            String o = acceptHostkey ? "-o StrictHostKeyChecking=no" : "-o StrictHostKeyChecking=accept-new";
            if (opts == null) opts = o;
            else if (!opts.contains("-o StrictHostKeyChecking=no") && !opts.contains("-o StrictHostKeyChecking=accept-new")) opts += " " + o;
        }
        if (keyFile == null && opts == null) return null;
        StringBuilder s = new StringBuilder("ssh");
        if (opts != null) s.append(' ').append(opts);
        if (keyFile != null) s.append(" -i ").append(Sh.q(keyFile)).append(" -o IdentitiesOnly=yes");
        return s.toString();
    }

    @Override
    public List<Fact<?>> reads(GitArgs args) {
        return List.of(args.fact());
    }

    @Override
    public Plan plan(GitArgs args, Facts facts, PlanContext ctx) throws TaskException {
        GitState s = facts.get(args.fact());
        Plan.Builder b = Plan.builder();
        if (s.submodules() && args.recursive()) {
            throw new TaskException(args.dest() + " has submodules: moat's git module does not update submodules (set recursive: false to leave them)");
        }
        if (!s.repo()) {
            String after = remoteHead(args, s, true);
            b.result("before", null).result("after", after);
            if (!args.allowClone()) return b.build();
            if (s.nonEmpty()) throw new TaskException("fatal: destination path '" + args.dest() + "' already exists and is not an empty directory.");
            b.diff(Diff.of("checkout " + args.dest(), "", ">> Newly checked out " + after + "\n"));
            b.undo(new Undo.RestorePath(args.dest()));
            b.step(Step.run("git clone " + args.repo() + " " + args.dest(), env(args) + clone(args, s)));
            b.step(Step.run("git checkout " + args.version(), env(args) + "cd " + Sh.q(args.dest()) + " || exit 1\n" + switchVersion(args, s)));
            b.touches("file:" + args.dest());
            return b.build();
        }
        if (!args.update()) {
            b.result("before", s.head()).result("after", s.head());
            return b.build();
        }
        if (s.mods() > 0 && !args.force()) {
            throw new TaskException("Local modifications exist in the destination: " + args.dest() + " (force=no).");
        }
        boolean urlChanged = !s.url().isEmpty() && !s.url().equals(args.repo()) && !unfrack(s.url()).equals(unfrack(args.repo()));
        String after = remoteHead(args, s, false);
        b.result("before", s.head()).result("after", after).result("remote_url_changed", urlChanged);
        if (s.head().equals(after) && !urlChanged && s.mods() == 0) return b.build();
        if (!s.head().equals(after)) b.diff(Diff.of("checkout " + args.dest(), s.head() + "\n", after + "\n"));
        if (urlChanged) b.diff(Diff.of("remote " + args.remote() + " of " + args.dest(), s.url() + "\n", args.repo() + "\n"));
        if (s.mods() > 0) b.result("msg", "Local modifications exist in the destination: " + args.dest());
        if (s.mods() > 0) b.diff(Diff.of("local modifications in " + args.dest(), s.mods() + " tracked file(s) modified\n", "(discarded: git reset --hard)\n"));
        b.undo(new Undo.RestorePath(args.dest()));
        StringBuilder script = new StringBuilder(env(args)).append("cd ").append(Sh.q(args.dest())).append(" || exit 1\n");
        if (s.mods() > 0) script.append("\"$g\" reset --hard HEAD\n");
        if (urlChanged) script.append("\"$g\" remote set-url \"$o\" ").append(Sh.q(args.repo())).append('\n');
        script.append(fetch(args, s)).append(switchVersion(args, s));
        b.step(Step.run("git fetch and checkout " + args.version() + " in " + args.dest(), script.toString()));
        b.touches("file:" + args.dest());
        return b.build();
    }

    /**
     * Ansible's get_remote_head: the commit the remote's branch or tag (an annotated tag's
     * dereferenced commit) names, HEAD's branch (the checked-out one for a checkout, the remote's
     * HEAD for a clone); otherwise {@code version} is taken as a commit, resolved locally when it can be.
     */
    static String remoteHead(GitArgs args, GitState s, boolean cloning) throws TaskException {
        String v = args.version();
        if (s.remoteRc() != 0) {
            throw new TaskException("Failed to ask " + args.repo() + " for " + v + " (git ls-remote exit " + s.remoteRc() + "): " + s.remoteError());
        }
        String rev;
        if (v.equals("HEAD")) {
            rev = cloning || s.branch().isEmpty() ? s.refs().get("HEAD") : s.refs().get("refs/heads/" + s.branch());
        } else if (s.refs().containsKey("refs/heads/" + v)) {
            rev = s.refs().get("refs/heads/" + v);
        } else if (s.refs().containsKey("refs/tags/" + v)) {
            rev = s.refs().getOrDefault("refs/tags/" + v + "^{}", s.refs().get("refs/tags/" + v));
        } else {
            return s.local().isEmpty() ? v : s.local();
        }
        if (rev == null) throw new TaskException("Could not determine remote revision for " + v);
        return rev;
    }

    private static boolean isBranch(GitArgs args, GitState s) {
        return s.refs().containsKey("refs/heads/" + args.version());
    }

    private static boolean isTag(GitArgs args, GitState s) {
        return s.refs().containsKey("refs/tags/" + args.version());
    }

    /** The shell variables every step uses, the umask, and the ssh command. */
    private static String env(GitArgs args) {
        StringBuilder e = new StringBuilder("g=").append(Sh.q(args.git())).append("; o=").append(Sh.q(args.remote()))
                .append("; v=").append(Sh.q(args.version())).append("\nLC_ALL=C; GIT_TERMINAL_PROMPT=0; export LC_ALL GIT_TERMINAL_PROMPT\n");
        if (args.sshCommand() != null) e.append("GIT_SSH_COMMAND=").append(Sh.q(args.sshCommand())).append("; export GIT_SSH_COMMAND\n");
        if (args.umask() != null) e.append("umask ").append(args.umask()).append('\n');
        return e.toString();
    }

    /** Ansible's clone(): the parent made, then git clone with --origin, --depth/--branch and --single-branch as it builds them. */
    static String clone(GitArgs args, GitState s) {
        List<String> cmd = new ArrayList<>(List.of("--origin", args.remote()));
        boolean branchOrTag = isBranch(args, s) || isTag(args, s);
        if (args.depth() != null) {
            if (args.version().equals("HEAD")) {
                cmd.addAll(List.of("--depth", String.valueOf(args.depth())));
            } else if (branchOrTag) {
                cmd.addAll(List.of("--depth", String.valueOf(args.depth()), "--branch", args.version()));
            }
        }
        if (args.singleBranch()) {
            cmd.add("--single-branch");
            if (branchOrTag) cmd.addAll(List.of("--branch", args.version()));
        }
        StringBuilder sh = new StringBuilder("mkdir -p -- ").append(Sh.q(parent(args.dest()))).append(" && cd ").append(Sh.q(parent(args.dest())))
                .append(" || exit 1\n\"$g\" clone");
        for (String w : cmd) sh.append(' ').append(Sh.q(w));
        sh.append(" -- ").append(Sh.q(args.repo())).append(' ').append(Sh.q(args.dest())).append('\n');
        return sh.toString();
    }

    /** Ansible's fetch(): the minimal refspecs with depth, else everything with --tags; --force with force. */
    static String fetch(GitArgs args, GitState s) {
        List<String> cmd = new ArrayList<>();
        List<String> refspecs = new ArrayList<>();
        String v = args.version();
        if (args.depth() != null) {
            if (v.equals("HEAD")) {
                if (!s.branch().isEmpty()) refspecs.add(s.branch());
            } else if (isBranch(args, s)) {
                if (!s.branch().equals(v)) refspecs.add("+refs/heads/" + v + ":refs/heads/" + v);
                refspecs.add("+refs/heads/" + v + ":refs/remotes/" + args.remote() + "/" + v);
            } else if (isTag(args, s)) {
                refspecs.add("+refs/tags/" + v + ":refs/tags/" + v);
            }
            if (!refspecs.isEmpty()) cmd.addAll(List.of("--depth", String.valueOf(args.depth())));
        }
        if (args.depth() == null || refspecs.isEmpty()) cmd.add("--tags");
        if (args.force()) cmd.add("--force");
        StringBuilder sh = new StringBuilder("\"$g\" fetch");
        for (String w : cmd) sh.append(' ').append(Sh.q(w));
        sh.append(" \"$o\"");
        for (String r : refspecs) sh.append(' ').append(Sh.q(r));
        return sh.append('\n').toString();
    }

    /** Ansible's switch_version, run in the checkout. */
    static String switchVersion(GitArgs args, GitState s) {
        if (args.version().equals("HEAD")) {
            return "b=$(\"$g\" symbolic-ref -q --short HEAD || \"$g\" symbolic-ref -q --short \"refs/remotes/$o/HEAD\" | sed \"s|^$o/||\")\n"
                    + "[ -n \"$b\" ] || { echo 'cannot tell which branch HEAD is on' >&2; exit 1; }\n"
                    + "\"$g\" checkout --force \"$b\" && \"$g\" reset --hard \"$o/$b\" --\n";
        }
        if (isBranch(args, s)) {
            return "if \"$g\" show-ref --verify -q \"refs/heads/$v\"; then \"$g\" checkout --force \"$v\" && \"$g\" reset --hard \"$o/$v\"\n"
                    + "else \"$g\" checkout --track -b \"$v\" \"$o/$v\"; fi\n";
        }
        return "\"$g\" checkout --force \"$v\"\n";
    }

    private static String parent(String dest) {
        int i = dest.lastIndexOf('/');
        return i <= 0 ? "/" : dest.substring(0, i);
    }

    /** Ansible's unfrackgitpath, for paths: a URL is compared as written. */
    private static String unfrack(String url) {
        if (!url.startsWith("/")) return url;
        return java.nio.file.Path.of(url).normalize().toString();
    }
}
