package dev.moat.modules;

import dev.moat.facts.CommandFact;
import dev.moat.module.SafeWrite;
import dev.moat.transport.Sh;

/**
 * A repository signing key that the host downloads from a URL, for {@code deb822_repository}'s
 * {@code signed_by}: the read fetches it into a private temporary directory and prints its SHA-256
 * and whether it is ASCII-armored ({@code .asc}) or binary ({@code .gpg}); the write fetches it again,
 * checks it is still the key that was read, and puts it in place atomically with mode 0644.
 */
final class AptKeyFile {
    private AptKeyFile() {}

    /** What the read found: the key's SHA-256 and armor, or {@code error}. */
    record Read(String error, String sha256, boolean armored) {}

    static final String FETCH = "d=$(mktemp -d) || exit 1\ntrap 'rm -rf \"$d\"' EXIT\nk=\"$d/key\"\n"
            + "fetch() { if command -v curl >/dev/null 2>&1; then curl -q -fsSL -o \"$k\" -- \"$1\"\n"
            + "  elif command -v wget >/dev/null 2>&1; then wget -q -O \"$k\" -- \"$1\"\n"
            + "  else python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' \"$1\" \"$k\"; fi; }\n";

    static CommandFact fact(String url) {
        return new CommandFact("aptkeyurl:" + url, "(\n" + FETCH + "fetch " + Sh.q(url) + " || { echo @@fetch-failed; exit 0; }\n"
                + "echo \"@@sha256 $(sha256sum < \"$k\" | cut -d' ' -f1)\"\n"
                + "if grep -q -- '-----BEGIN PGP PUBLIC KEY BLOCK-----' \"$k\"; then echo '@@armored yes'; else echo '@@armored no'; fi\n)");
    }

    static Read parse(String out) {
        String sum = null;
        boolean armored = false;
        for (String l : out.split("\n")) {
            if (l.equals("@@fetch-failed")) return new Read("the host could not download it", null, false);
            if (l.startsWith("@@sha256 ")) sum = l.substring(9).strip();
            if (l.equals("@@armored yes")) armored = true;
        }
        if (sum == null || sum.isEmpty() || sum.equals(EMPTY)) return new Read("it is empty", null, false);
        return new Read(null, sum, armored);
    }

    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /** Downloads {@code url} again and writes it to {@code dest} (0644), failing if it is not the key that was read. */
    static String write(String url, String sha256, String dest) {
        return "(\n" + FETCH + "fetch " + Sh.q(url) + "\n"
                + "[ \"$(sha256sum < \"$k\" | cut -d' ' -f1)\" = " + Sh.q(sha256) + " ] || { echo "
                + Sh.q("the key at " + url + " changed since it was read") + " >&2; exit 1; }\n"
                + "( " + SafeWrite.create(dest, "chmod 0644 \"$t/new\"\n", "deb822_repository") + " ) < \"$k\"\n)";
    }
}
