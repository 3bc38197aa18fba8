package dev.moat.facts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.PathRead;
import dev.moat.module.TaskException;
import dev.moat.transport.Sh;

/**
 * Stat and content of one path on the host (not following a final symlink), key {@code file:PATH}.
 *
 * <p>Output: one ASCII header line {@code TYPE MODE UID GID SIZE OWNER GROUP} (or {@code absent}),
 * then the payload: a regular file's bytes verbatim (binary allowed) when it is at most {@link #CAP}
 * bytes, its {@code sha256sum} line when it is bigger (type {@code big}), a link's target. The header
 * ends at the first newline, so the payload needs no escaping. POSIX sh; needs GNU or busybox
 * {@code stat -c}. A batch reads many of them at once ({@link PathRead}).
 */
public record FileFact(String path) implements Fact<FileState>, PathRead {
    /** Regular files up to this size are read whole; bigger ones only by checksum. */
    public static final long CAP = PathRead.CAP;

    public FileFact {
        if (path == null || !path.startsWith("/")) throw new IllegalArgumentException("absolute path required: " + path);
    }

    @Override
    public String key() {
        return "file:" + path;
    }

    @Override
    public String script() {
        String st = "stat -c '%a %u %g %s %U %G' -- \"$p\"";
        return "p=" + Sh.q(path) + "\n"
                + "if [ -L \"$p\" ]; then s=$(" + st + ") && printf 'link %s\\n' \"$s\" && readlink -- \"$p\"\n"
                + "elif [ -d \"$p\" ]; then s=$(" + st + ") && printf 'directory %s\\n' \"$s\"\n"
                + "elif [ -f \"$p\" ]; then s=$(" + st + ") && n=${s#* } && n=${n#* } && n=${n#* } && n=${n%% *} && if [ \"$n\" -gt " + CAP + " ]; then"
                + " printf 'big %s\\n' \"$s\" && sha256sum < \"$p\"; else printf 'file %s\\n' \"$s\" && cat -- \"$p\"; fi\n"
                + "elif [ -e \"$p\" ]; then s=$(" + st + ") && printf 'other %s\\n' \"$s\"\n"
                + "else echo absent; fi";
    }

    @Override
    public FileState parse(FactOutput out) throws TaskException {
        byte[] all = out.stdout();
        if (out.rc() != 0) throw new TaskException("cannot read " + path + ": " + out.errText().strip());
        int nl = indexOf(all, (byte) '\n');
        if (nl < 0) throw new TaskException("cannot read " + path + ": unexpected output '" + out.text().strip() + "'");
        String header = new String(all, 0, nl, StandardCharsets.UTF_8);
        byte[] payload = Arrays.copyOfRange(all, nl + 1, all.length);
        if (header.equals("absent")) return FileState.absent(path);
        String[] f = header.split(" ", 7);
        if (f.length != 7) throw new TaskException("cannot read " + path + ": unexpected stat line '" + header + "'");
        String mode = String.format("%04o", Integer.parseInt(f[1], 8));
        int uid = Integer.parseInt(f[2]);
        int gid = Integer.parseInt(f[3]);
        long size = Long.parseLong(f[4]);
        switch (f[0]) {
            case "file":
                return new FileState(path, FileState.Type.FILE, mode, uid, gid, f[5], f[6], payload.length, null,
                        payload, sha256(payload), false);
            case "big": {
                String sum = new String(payload, StandardCharsets.US_ASCII).strip().split("\\s+")[0];
                return new FileState(path, FileState.Type.FILE, mode, uid, gid, f[5], f[6], size, null, null, sum, true);
            }
            case "link": {
                String target = new String(payload, StandardCharsets.UTF_8);
                if (target.endsWith("\n")) target = target.substring(0, target.length() - 1);
                return new FileState(path, FileState.Type.LINK, mode, uid, gid, f[5], f[6], size, target, null, null, false);
            }
            case "directory":
                return new FileState(path, FileState.Type.DIRECTORY, mode, uid, gid, f[5], f[6], size, null, null, null, false);
            case "other":
                return new FileState(path, FileState.Type.OTHER, mode, uid, gid, f[5], f[6], size, null, null, null, false);
            default:
                throw new TaskException("cannot read " + path + ": unexpected type '" + f[0] + "'");
        }
    }

    /** Hex SHA-256 of {@code bytes}, as {@code sha256sum} prints it. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) if (a[i] == b) return i;
        return -1;
    }
}
