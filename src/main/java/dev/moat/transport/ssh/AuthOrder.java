package dev.moat.transport.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Which keys authentication offers, in OpenSSH's order. Without an explicit key, the agent's
 * identities first, in the agent's order, then the key files (ssh_config's IdentityFile, else the
 * usual ~/.ssh/id_*) that the agent does not already hold. An explicit key ({@code --private-key},
 * {@code ansible_ssh_private_key_file}) is the only key offered, so a full agent cannot use up the
 * server's MaxAuthTries before it; when the agent holds it (its {@code .pub} beside it says so), the
 * agent signs, so an encrypted key added with {@code ssh-add} needs no passphrase here either.
 */
final class AuthOrder {
    private AuthOrder() {}

    /** One key to offer: one the agent holds, or a key file (whose absence is an error when required). */
    sealed interface Choice permits AgentKey, FileKey {}

    record AgentKey(SshAgent.Identity identity) implements Choice {}

    record FileKey(Path file, boolean required) implements Choice {}

    /**
     * @param held     the agent's identities (empty without an agent)
     * @param files    the key files, in order
     * @param explicit whether {@code files} were named by the user (the first one must exist)
     * @param blobOf   a key file's public blob, or null when unknown (see {@link #publicBlob})
     */
    static List<Choice> order(List<SshAgent.Identity> held, List<Path> files, boolean explicit, Function<Path, byte[]> blobOf) {
        List<Choice> out = new ArrayList<>();
        if (!explicit) for (SshAgent.Identity id : held) out.add(new AgentKey(id));
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            SshAgent.Identity inAgent = find(held, blobOf.apply(f));
            if (inAgent == null) out.add(new FileKey(f, explicit && i == 0));
            else if (explicit) out.add(new AgentKey(inAgent));
        }
        return out;
    }

    private static SshAgent.Identity find(List<SshAgent.Identity> held, byte[] blob) {
        if (blob == null) return null;
        for (SshAgent.Identity id : held) if (Arrays.equals(id.blob(), blob)) return id;
        return null;
    }

    /** The public key blob of {@code key} from {@code key.pub} ("type base64 comment"), or null. */
    static byte[] publicBlob(Path key) {
        Path pub = key.resolveSibling(key.getFileName() + ".pub");
        try {
            if (!Files.isRegularFile(pub) || Files.size(pub) > 64 * 1024) return null;
            String[] f = Files.readString(pub, StandardCharsets.UTF_8).strip().split("\\s+");
            return f.length < 2 ? null : Base64.getDecoder().decode(f[1]);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
