package dev.moat.transport.ssh;

import dev.moat.transport.UnreachableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.userauth.keyprovider.FileKeyProvider;
import net.schmizz.sshj.userauth.keyprovider.KeyFormat;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.keyprovider.KeyProviderUtil;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;

/**
 * Private keys, each parsed (and decrypted) once per run and shared by every connection: parsing,
 * and above all bcrypt-KDF decryption, is far too slow to repeat per host. An encrypted key's
 * passphrase is asked once; a key that cannot be used is remembered with the reason.
 */
final class KeyRing {
    /** A usable key, or why a key file was skipped. */
    record Loaded(Path file, KeyProvider key, String skipped) {}

    private final Config config;
    private final PassphrasePrompt prompt;
    private final Map<Path, Loaded> cache = new HashMap<>();

    KeyRing(Config config, PassphrasePrompt prompt) {
        this.config = config;
        this.prompt = prompt;
    }

    /**
     * Loads {@code file}. A missing {@code required} key is an error; a missing default key is
     * skipped quietly (returns null).
     */
    synchronized Loaded load(Path file, boolean required) throws UnreachableException {
        Path f = file.toAbsolutePath().normalize();
        Loaded hit = cache.get(f);
        if (hit == null) {
            hit = read(f);
            cache.put(f, hit);
        }
        if (hit.key() == null && hit.skipped().equals("missing")) {
            if (required) throw new UnreachableException("private key file " + f + " does not exist");
            return null;
        }
        return hit;
    }

    private Loaded read(Path f) {
        if (!Files.isRegularFile(f)) return new Loaded(f, null, "missing");
        try {
            KeyFormat format = KeyProviderUtil.detectKeyFileFormat(f.toFile());
            FileKeyProvider p = Factory.Named.Util.create(config.getFileKeyProviderFactories(), format.toString());
            if (p == null) return new Loaded(f, null, "unsupported key format " + format);
            boolean[] asked = {false};
            p.init(f.toFile(), new PasswordFinder() {
                @Override
                public char[] reqPassword(Resource<?> resource) {
                    asked[0] = true;
                    char[] pw = prompt.passphrase(f);
                    return pw == null ? null : Arrays.copyOf(pw, pw.length);
                }

                @Override
                public boolean shouldRetry(Resource<?> resource) {
                    return false;
                }
            });
            p.getPublic();
            p.getPrivate();
            return new Loaded(f, p, null);
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Loaded(f, null, encrypted(why) ? "encrypted, wrong or no passphrase" : "unreadable: " + why);
        }
    }

    private static boolean encrypted(String why) {
        String w = why.toLowerCase();
        return w.contains("passphrase") || w.contains("password") || w.contains("decrypt") || w.contains("encrypted");
    }
}
