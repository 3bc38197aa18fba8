package dev.moat.playbook;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Spec;

/** A few module specs shaped like the real ones, for loader tests. */
final class FakeCatalog implements ModuleCatalog {
    static final Spec COPY = Spec.of(
            ArgSpec.required("dest", ArgType.STRING),
            ArgSpec.optional("src", ArgType.STRING),
            ArgSpec.optional("content", ArgType.STRING).asSecret(),
            ArgSpec.optional("mode", ArgType.MODE),
            ArgSpec.optional("owner", ArgType.STRING),
            ArgSpec.optional("group", ArgType.STRING),
            ArgSpec.optional("backup", ArgType.BOOL, false),
            ArgSpec.optional("validate", ArgType.STRING))
            .exclusive("src", "content").oneOf("src", "content");
    static final Spec COMMAND = Spec.of(
            ArgSpec.optional("cmd", ArgType.STRING),
            ArgSpec.optional("creates", ArgType.STRING),
            ArgSpec.optional("removes", ArgType.STRING),
            ArgSpec.optional("chdir", ArgType.STRING))
            .freeForm("cmd");
    static final Spec DEBUG = Spec.of(
            ArgSpec.optional("msg", ArgType.RAW),
            ArgSpec.optional("var", ArgType.STRING),
            ArgSpec.optional("verbosity", ArgType.INT, 0))
            .exclusive("msg", "var");
    static final Spec ASSERT = Spec.of(
            ArgSpec.required("that", ArgType.LIST),
            ArgSpec.optional("fail_msg", ArgType.STRING).withAliases("msg"),
            ArgSpec.optional("success_msg", ArgType.STRING),
            ArgSpec.optional("quiet", ArgType.BOOL, false));
    static final Spec SERVICE = Spec.of(
            ArgSpec.required("name", ArgType.STRING),
            ArgSpec.choice("state", null, "started", "stopped", "restarted", "reloaded"),
            ArgSpec.optional("enabled", ArgType.BOOL));

    static final Spec HTPASSWD = Spec.of(ArgSpec.required("path", ArgType.STRING), ArgSpec.required("users", ArgType.MAP),
            ArgSpec.optional("mode", ArgType.MODE), ArgSpec.optional("owner", ArgType.STRING), ArgSpec.optional("group", ArgType.STRING));

    private static final Map<String, Spec> SPECS = Map.of("copy", COPY, "command", COMMAND, "shell", COMMAND,
            "debug", DEBUG, "assert", ASSERT, "service", SERVICE, "htpasswd", HTPASSWD);

    @Override
    public Optional<Spec> spec(String module) {
        return Optional.ofNullable(SPECS.get(module));
    }

    @Override
    public Set<String> names() {
        return SPECS.keySet();
    }
}
