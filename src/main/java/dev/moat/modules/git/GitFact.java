package dev.moat.modules.git;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;
import dev.moat.transport.Sh;

/**
 * A checkout and its remote as Ansible's {@code git} module reads them: whether {@code dest} holds
 * a repository ({@code .git/config}), its HEAD commit, the URL of {@code remote}, the branch HEAD
 * is on (or {@code remote}/HEAD's when detached, Ansible's get_head_branch), how many tracked files
 * differ ({@code git status --porcelain} without {@code ??} lines), {@code version} resolved
 * locally, whether it has submodules, whether a non-repository {@code dest} is non-empty; and the
 * remote's refs for {@code version} and HEAD ({@code git ls-remote --symref}, what Ansible's check
 * mode asks the remote). Key {@code git:DEST/...}, under the checkout's path.
 */
public record GitFact(String dest, String repo, String version, String remote, String git, String sshCommand) implements Fact<GitState> {
    @Override
    public String key() {
        return "git:" + dest + "/" + repo + "|" + version + "|" + remote + "|" + git + "|" + (sshCommand == null ? "" : sshCommand);
    }

    @Override
    public String script() {
        StringBuilder s = new StringBuilder();
        s.append("d=").append(Sh.q(dest)).append("; r=").append(Sh.q(repo)).append("; v=").append(Sh.q(version))
         .append("; o=").append(Sh.q(remote)).append("; g=").append(Sh.q(git)).append("\n");
        s.append("LC_ALL=C; GIT_TERMINAL_PROMPT=0; export LC_ALL GIT_TERMINAL_PROMPT\n");
        if (sshCommand != null) s.append("GIT_SSH_COMMAND=").append(Sh.q(sshCommand)).append("; export GIT_SSH_COMMAND\n");
        s.append("command -v \"$g\" >/dev/null 2>&1 || { echo \"Failed to find required executable \\\"$g\\\" in paths\" >&2; exit 3; }\n");
        s.append("b=\n");
        s.append("if [ -f \"$d/.git/config\" ]; then echo repo=yes; cd \"$d\" || exit 3\n");
        s.append("  printf 'head=%s\\n' \"$(\"$g\" rev-parse HEAD 2>/dev/null)\"\n");
        s.append("  printf 'url=%s\\n' \"$(\"$g\" ls-remote --get-url \"$o\" 2>/dev/null)\"\n");
        s.append("  b=$(\"$g\" symbolic-ref -q --short HEAD 2>/dev/null || \"$g\" symbolic-ref -q --short \"refs/remotes/$o/HEAD\" 2>/dev/null | sed \"s|^$o/||\")\n");
        s.append("  printf 'branch=%s\\n' \"$b\"\n");
        s.append("  printf 'mods=%s\\n' \"$(\"$g\" status --porcelain 2>/dev/null | grep -vc '^??')\"\n");
        s.append("  printf 'local=%s\\n' \"$(\"$g\" rev-parse -q --verify \"$v^{commit}\" 2>/dev/null)\"\n");
        s.append("  if [ -f .gitmodules ]; then echo submodules=yes; fi; cd /\n");
        s.append("elif [ -e \"$d\" ] && [ -n \"$(ls -A \"$d\" 2>/dev/null)\" ]; then echo repo=no; echo nonempty=yes\n");
        s.append("else echo repo=no; fi\n");
        s.append("t=$(mktemp) || exit 3\n");
        s.append("\"$g\" ls-remote --symref \"$r\" HEAD \"refs/heads/$v\" \"refs/tags/$v\" \"refs/tags/$v^{}\" ${b:+\"refs/heads/$b\"} >\"$t\" 2>\"$t.e\"; rc=$?\n");
        s.append("printf '@@remote %s\\n' \"$rc\"; cat \"$t\"; echo @@err; cat \"$t.e\"; rm -f \"$t\" \"$t.e\"\n");
        return s.toString();
    }

    @Override
    public GitState parse(FactOutput out) throws TaskException {
        if (out.rc() != 0) throw new TaskException(out.errText().strip().isEmpty() ? "cannot read " + dest : out.errText().strip());
        return GitState.parse(out.text());
    }
}
