package dev.moat.modules;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import dev.moat.facts.FileFact;

/**
 * An archive on the controller, listed in Java (moat runs nothing on the controller): zip through
 * {@code java.util.zip}, tar plain or gzip-compressed through a small reader of tar headers (ustar,
 * GNU long names, pax {@code path}). bzip2 and xz need a library moat does not have: {@link #read}
 * says so. {@code handler} is the class Ansible's module would pick for it.
 */
record ControllerArchive(String handler, byte[] bytes, List<Entry> entries) {
    /**
     * One member: its name as listed (leading "/" dropped), type ('d' directory, 'f' file, 'l'
     * symlink, 'h' hard link, 'o' other), size, permission bits (-1 unknown: zip), mtime in seconds
     * (-1 unknown) and, for a file, the sha256 of its bytes.
     */
    record Entry(String name, char type, long size, int mode, long mtime, String sha256) {}

    static ControllerArchive read(byte[] b) throws IOException {
        if (b.length >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4) return new ControllerArchive("ZipArchive", b, zip(b));
        if (b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
                return new ControllerArchive("TgzArchive", b, tar(in.readAllBytes()));
            }
        }
        if (b.length >= 3 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h') throw new IOException("a bzip2 archive on the controller is not supported (only zip, tar and tar.gz): use remote_src");
        if (b.length >= 6 && (b[0] & 0xff) == 0xfd && b[1] == '7' && b[2] == 'z' && b[3] == 'X' && b[4] == 'Z') {
            throw new IOException("an xz archive on the controller is not supported (only zip, tar and tar.gz): use remote_src");
        }
        if (b.length >= 512 && new String(b, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) return new ControllerArchive("TarArchive", b, tar(b));
        throw new IOException("not an archive moat can read on the controller (zip, tar, tar.gz)");
    }

    private static List<Entry> zip(byte[] b) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(b))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.isDirectory()) {
                    out.add(new Entry(e.getName(), 'd', 0, -1, -1, null));
                } else {
                    byte[] data = in.readAllBytes();
                    out.add(new Entry(e.getName(), 'f', data.length, -1, -1, FileFact.sha256(data)));
                }
            }
        }
        return out;
    }

    /** Reads tar headers: 512-byte blocks, octal numbers, GNU 'L' long names and pax 'x' paths. */
    static List<Entry> tar(byte[] t) throws IOException {
        List<Entry> out = new ArrayList<>();
        String longName = null;
        int at = 0;
        while (at + 512 <= t.length) {
            if (isZero(t, at)) break;
            String name = cstr(t, at, 100);
            int mode = (int) octal(t, at + 100, 8);
            long size = octal(t, at + 124, 12);
            long mtime = octal(t, at + 136, 12);
            char flag = (char) t[at + 156];
            String prefix = new String(t, at + 257, 6, StandardCharsets.US_ASCII).startsWith("ustar") ? cstr(t, at + 345, 155) : "";
            int data = at + 512;
            if (data + size > t.length) throw new IOException("truncated tar archive");
            at = data + (int) ((size + 511) / 512 * 512);
            if (flag == 'L') {
                longName = cstr(t, data, (int) size);
                continue;
            }
            if (flag == 'x') {
                String path = paxPath(new String(t, data, (int) size, StandardCharsets.UTF_8));
                if (path != null) longName = path;
                continue;
            }
            if (flag == 'g' || flag == 'K') continue;
            String full = longName != null ? longName : prefix.isEmpty() ? name : prefix + "/" + name;
            longName = null;
            if (full.startsWith("/")) full = full.substring(1);
            char type;
            String sha = null;
            switch (flag) {
                case '0': case '\0': case '7':
                    type = 'f';
                    sha = FileFact.sha256(java.util.Arrays.copyOfRange(t, data, data + (int) size));
                    break;
                case '5': type = 'd'; break;
                case '2': type = 'l'; break;
                case '1': type = 'h'; break;
                default: type = 'o';
            }
            out.add(new Entry(full, type, type == 'f' ? size : 0, mode & 07777, mtime, sha));
        }
        return out;
    }

    private static String paxPath(String records) {
        for (String rec : records.split("\n")) {
            int sp = rec.indexOf(' ');
            if (sp > 0 && rec.startsWith("path=", sp + 1)) return rec.substring(sp + 6);
        }
        return null;
    }

    private static boolean isZero(byte[] t, int at) {
        for (int i = at; i < at + 512; i++) if (t[i] != 0) return false;
        return true;
    }

    private static String cstr(byte[] t, int at, int len) {
        int end = at;
        while (end < at + len && end < t.length && t[end] != 0) end++;
        return new String(t, at, end - at, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] t, int at, int len) throws IOException {
        if ((t[at] & 0x80) != 0) {
            long v = 0;
            for (int i = at + 1; i < at + len; i++) v = (v << 8) | (t[i] & 0xff);
            return v;
        }
        String s = cstr(t, at, len).strip();
        if (s.isEmpty()) return 0;
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException("not a tar header (bad number '" + s + "')");
        }
    }

    /** A short digest of the bytes, for fact keys. */
    String id() {
        return FileFact.sha256(bytes).substring(0, 16) + HexFormat.of().toHexDigits(bytes.length).replaceFirst("^0+", "");
    }
}
