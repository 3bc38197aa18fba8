package dev.moat.modules.system;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.moat.facts.FileFact;
import dev.moat.facts.FileState;
import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;
import dev.moat.transport.Sh;

/**
 * A user's authorized_keys file, found on the host: the user's passwd entry, the file's directory
 * and the file itself as {@link FileFact} reads it. {@code path} null: {@code ~USER/.ssh/authorized_keys}.
 * Key {@code account:/etc/passwd/user/USER/keys[:PATH]}: stale after any account change.
 */
public record KeysFileFact(String user, String path) implements Fact<KeysFileFact.KeysFile> {
    /** The user (null fields when there is no such user), the file's directory and the file. */
    public record KeysFile(boolean userExists, int uid, int gid, String path, FileState dir, FileState file) {}

    public KeysFileFact {
        if (!Accounts.isName(user)) throw new IllegalArgumentException("not a user name: " + user);
        if (path != null && !path.startsWith("/")) throw new IllegalArgumentException("absolute path required: " + path);
    }

    @Override
    public String key() {
        return "account:" + Accounts.DB + "/user/" + user + "/keys" + (path == null ? "" : ":" + path);
    }

    /** The FileFact script for the path in {@code $f}, without its own assignment line. */
    private static String stat(String var) {
        String s = new FileFact("/x").script();
        return "p=\"$" + var + "\"\n" + s.substring(s.indexOf('\n') + 1);
    }

    @Override
    public String script() {
        return "if e=$(getent passwd " + Sh.q(user) + "); then printf '%s\\n' \"$e\" | awk -F: '{print \"@@user \" $3 \" \" $4 \" \" $6}'; "
                + "h=$(printf '%s\\n' \"$e\" | cut -d: -f6); else echo '@@nouser'; h=/nonexistent; fi\n"
                + "f=" + (path == null ? "\"$h/.ssh/authorized_keys\"" : Sh.q(path)) + "; d=$(dirname \"$f\")\n"
                + "printf '@@path %s\\n' \"$f\"\n"
                + "(" + stat("d") + ") | head -n 1\n"
                + stat("f");
    }

    @Override
    public KeysFile parse(FactOutput out) throws TaskException {
        byte[] all = out.stdout();
        String[] head = new String[3];
        int pos = 0;
        for (int i = 0; i < 3; i++) {
            int nl = indexOf(all, pos);
            if (nl < 0) throw new TaskException("cannot read the authorized_keys of " + user + ": " + out.errText().strip());
            head[i] = new String(all, pos, nl - pos, StandardCharsets.UTF_8);
            pos = nl + 1;
        }
        boolean exists = head[0].startsWith("@@user ");
        String[] u = exists ? head[0].substring(7).split(" ", 3) : new String[] {"-1", "-1", ""};
        String file = head[1].substring("@@path ".length());
        String dirPath = file.substring(0, Math.max(1, file.lastIndexOf('/')));
        FileState dir = new FileFact(dirPath).parse(new FactOutput(0, (head[2] + "\n").getBytes(StandardCharsets.UTF_8), new byte[0]));
        FileState f = new FileFact(file).parse(new FactOutput(out.rc(), Arrays.copyOfRange(all, pos, all.length), out.stderr()));
        return new KeysFile(exists, Integer.parseInt(u[0]), Integer.parseInt(u[1]), file, dir, f);
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == '\n') return i;
        return -1;
    }
}
