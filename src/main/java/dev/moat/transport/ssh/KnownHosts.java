package dev.moat.transport.ssh;

import dev.moat.transport.UnreachableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The known_hosts policy: OpenSSH's file format read in full (plain, wildcard, negated and hashed
 * {@code |1|salt|hash} host patterns, {@code [host]:port} names, the {@code @revoked} marker), from
 * one or more files. A host whose key matches is accepted; an unknown host is refused unless
 * {@code acceptNew}, which appends its key to the first file; a host with a different key on file
 * is always refused, naming both fingerprints. One instance is shared by all connections of a run
 * and is thread-safe, so accepted keys are appended once and seen by later connections.
 */
public final class KnownHosts {
    /** One parsed line; {@code patterns} is the raw comma-separated host field. */
    record Entry(String marker, String patterns, String type, byte[] blob) {}

    private final List<Path> files;
    private final boolean acceptNew;
    private final List<Entry> entries = new ArrayList<>();

    public KnownHosts(List<Path> files, boolean acceptNew) throws IOException {
        if (files.isEmpty()) throw new IllegalArgumentException("no known_hosts file");
        this.files = List.copyOf(files);
        this.acceptNew = acceptNew;
        for (Path f : files) {
            if (Files.isRegularFile(f)) {
                for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    Entry e = parse(l);
                    if (e != null) entries.add(e);
                }
            }
        }
    }

    static Entry parse(String line) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) return null;
        String[] f = l.split("\\s+");
        int i = 0;
        String marker = null;
        if (f[0].startsWith("@")) marker = f[i++];
        if (f.length < i + 3) return null;
        try {
            return new Entry(marker, f[i], f[i + 1], Base64.getDecoder().decode(f[i + 2]));
        } catch (IllegalArgumentException bad) {
            return null;
        }
    }

    /**
     * Checks the key {@code host} (as connected to: the resolved address) presented on {@code port};
     * {@code name} is the inventory name, for messages only.
     *
     * @throws UnreachableException when the key is unknown (and not accepted), changed or revoked
     */
    public void verify(String name, String host, int port, PublicKey key) throws UnreachableException {
        byte[] blob = HostKeys.blob(key);
        String type = HostKeys.type(key);
        String lookup = HostKeys.lookupName(host, port);
        List<Entry> known = new ArrayList<>();
        synchronized (this) {
            for (Entry e : entries) {
                if ("@cert-authority".equals(e.marker())) continue;
                if ("@revoked".equals(e.marker())) {
                    if (Arrays.equals(e.blob(), blob))
                        throw new UnreachableException(who(name, host, port) + ": its " + type + " host key "
                                + HostKeys.fingerprint(blob) + " is marked @revoked in known_hosts; refusing to connect.");
                    continue;
                }
                if (matches(e.patterns(), lookup)) {
                    if (Arrays.equals(e.blob(), blob)) return;
                    known.add(e);
                }
            }
            if (known.isEmpty() && acceptNew) {
                append(host, port, key);
                return;
            }
        }
        if (known.isEmpty())
            throw new UnreachableException(who(name, host, port) + " presented an unknown " + type + " host key "
                    + HostKeys.fingerprint(blob) + " that is not in " + files.get(0)
                    + ". Check the fingerprint with the host's owner (ssh-keygen -lf on the host), then rerun with"
                    + " --accept-new-host-keys to record it, or add it to known_hosts yourself.");
        Entry sameType = known.stream().filter(e -> e.type().equals(type)).findFirst().orElse(known.get(0));
        throw new UnreachableException("HOST KEY CHANGED for " + who(name, host, port) + ": expected " + sameType.type()
                + " " + HostKeys.fingerprint(sameType.blob()) + " (known_hosts), but the host presented " + type + " "
                + HostKeys.fingerprint(blob) + ". Someone may be intercepting the connection, or the host was"
                + " reinstalled; moat refuses it whatever the options. If the change is expected, remove the old"
                + " entry (ssh-keygen -R " + HostKeys.lookupName(host, port) + ") and connect again.");
    }

    /** The key types on file for the host, so the key exchange can ask for one of those first. */
    public synchronized List<String> knownTypes(String host, int port) {
        String lookup = HostKeys.lookupName(host, port);
        LinkedHashSet<String> types = new LinkedHashSet<>();
        for (Entry e : entries)
            if (e.marker() == null && matches(e.patterns(), lookup)) types.add(e.type());
        return List.copyOf(types);
    }

    private void append(String host, int port, PublicKey key) throws UnreachableException {
        Path file = files.get(0);
        String line = HostKeys.line(host, port, key);
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            String prefix = "";
            if (Files.isRegularFile(file) && Files.size(file) > 0) {
                byte[] all = Files.readAllBytes(file);
                if (all[all.length - 1] != '\n') prefix = "\n";
            }
            Files.writeString(file, prefix + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UnreachableException("cannot record the host key of " + host + " in " + file + ": " + e.getMessage(), e);
        }
        entries.add(parse(line));
    }

    private static String who(String name, String host, int port) {
        String at = host + ":" + port;
        return name == null || name.equals(host) ? "host " + at : "host " + name + " (" + at + ")";
    }

    /** OpenSSH's rule: some pattern matches and no negated pattern does. */
    static boolean matches(String patterns, String lookup) {
        if (patterns.startsWith("|1|")) return hashedMatches(patterns, lookup);
        boolean hit = false;
        for (String p : patterns.split(",")) {
            if (p.isEmpty()) continue;
            if (p.startsWith("!")) {
                if (Glob.matches(p.substring(1), lookup)) return false;
            } else if (Glob.matches(p, lookup)) {
                hit = true;
            }
        }
        return hit;
    }

    private static boolean hashedMatches(String field, String lookup) {
        String[] parts = field.split("\\|");
        if (parts.length != 4) return false;
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] hash = Base64.getDecoder().decode(parts[3]);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            return Arrays.equals(hash, mac.doFinal(lookup.getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException | NoSuchAlgorithmException | InvalidKeyException e) {
            return false;
        }
    }
}
