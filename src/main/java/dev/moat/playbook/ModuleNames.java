package dev.moat.playbook;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a task's action key names, as Ansible resolves it: moat's own module ({@code copy},
 * {@code ansible.builtin.copy}, {@code ansible.legacy.copy}, or a collection module with the same
 * interface such as {@code community.general.ufw}); an action moat runs itself ({@code set_fact},
 * {@code include_tasks}, ...); a module Ansible has and moat does not ({@code dnf},
 * {@code community.general.modprobe}), which loads and fails only on a host that reaches it; or
 * nothing Ansible knows either ({@code ansible.bultin.copy}), which is an error.
 */
final class ModuleNames {
    enum Kind { MODULE, ACTION, INCLUDE_TASKS, IMPORT_TASKS, INCLUDE_ROLE, IMPORT_ROLE, NOT_IN_MOAT }

    /** A resolved key: its kind and the name moat uses (a module's short name, or the key as written). */
    record Resolved(Kind kind, String name) {}

    private static final String BUILTIN = "ansible.builtin.";
    private static final String LEGACY = "ansible.legacy.";

    private final ModuleCatalog catalog;

    ModuleNames(ModuleCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * What {@code key} names under a {@code collections:} list, as Ansible looks it up: a short
     * name is first tried as a module of each listed collection in order ({@code ufw} under
     * {@code community.general} is {@code community.general.ufw}), then as usual.
     */
    Resolved resolve(String key, java.util.List<String> collections) {
        return resolve(qualified(key, collections));
    }

    /** {@code key} as the collection module it names under {@code collections:}, or as written. */
    String qualified(String key, java.util.List<String> collections) {
        if (key.indexOf('.') >= 0 || special(key) != null) return key;
        for (String c : collections) {
            String fq = c + "." + key;
            if (AnsibleModules.SAME_INTERFACE.containsKey(fq) || AnsibleModules.get().knows(fq)) return fq;
        }
        return key;
    }

    /** What {@code key} names, or null when neither moat nor Ansible knows it. */
    Resolved resolve(String key) {
        String base = key;
        boolean qualified = false;
        if (key.startsWith(BUILTIN) || key.startsWith(LEGACY)) {
            base = key.substring(key.indexOf('.', "ansible.".length()) + 1);
            qualified = true;
        }
        Kind special = special(base);
        if (special != null && (!qualified || base.indexOf('.') < 0)) return new Resolved(special, base);
        if (catalog.spec(base).isPresent() && base.indexOf('.') < 0) return new Resolved(Kind.MODULE, base);
        String same = AnsibleModules.SAME_INTERFACE.get(key);
        if (same != null && catalog.spec(same).isPresent()) return new Resolved(Kind.MODULE, same);
        AnsibleModules ansible = AnsibleModules.get();
        if (key.startsWith(BUILTIN)) return ansible.knows(key) ? new Resolved(Kind.NOT_IN_MOAT, key) : null;
        if (key.startsWith(LEGACY) || key.indexOf('.') < 0) {
            return ansible.resolveShort(base) != null ? new Resolved(Kind.NOT_IN_MOAT, key) : null;
        }
        return ansible.knows(key) ? new Resolved(Kind.NOT_IN_MOAT, key) : null;
    }

    private static Kind special(String name) {
        switch (name) {
            case "include_tasks": return Kind.INCLUDE_TASKS;
            case "import_tasks": return Kind.IMPORT_TASKS;
            case "include_role": return Kind.INCLUDE_ROLE;
            case "import_role": return Kind.IMPORT_ROLE;
            default: return Actions.is(name) ? Kind.ACTION : null;
        }
    }

    /** The closest known name to {@code unknown}: moat's modules and keywords first, then Ansible's modules; or null. */
    String suggest(String unknown) {
        Set<String> moat = new LinkedHashSet<>(catalog.names());
        moat.addAll(Keywords.TASK);
        moat.addAll(Actions.ALL);
        String near = Suggest.closest(unknown, moat);
        return near != null ? near : Suggest.closest(unknown, AnsibleModules.get().allNames());
    }
}
