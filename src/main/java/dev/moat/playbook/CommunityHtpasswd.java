package dev.moat.playbook;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.module.Spec;
import dev.moat.template.Templar;
import dev.moat.yaml.MapNode;
import dev.moat.yaml.Mark;
import dev.moat.yaml.YamlException;

/**
 * {@code community.general.htpasswd}: the same job as moat's {@code htpasswd} with other arguments,
 * mapped when the playbook loads.
 */
final class CommunityHtpasswd {
    private CommunityHtpasswd() {}

    /**
     * {@code community.general.htpasswd}'s own arguments mapped onto moat's {@code htpasswd}:
     * {@code path} (dest, destfile), {@code name} (username) and {@code password} become
     * {@code users: {name: password}}; {@code mode}, {@code owner}, {@code group} pass through.
     * moat hashes with bcrypt and adds or updates users: {@code crypt_scheme} other than bcrypt and
     * {@code state: absent} are refused by name, never ignored.
     */
    static ModuleArgs read(MapNode task, String key, Spec moatSpec) {
        ModuleArgs given = ModuleArgs.raw(task, key);
        Object free = given.args.remove(ModuleArgs.RAW);
        Mark freeMark = given.marks.remove(ModuleArgs.RAW);
        if (free instanceof String text) for (KeyValue.Token t : ActionArgs.tokens(text, freeMark, key)) given.put(t.key() == null ? t.raw() : t.key(), t.value(), freeMark);
        Map<String, String> aliases = Map.of("dest", "path", "destfile", "path", "username", "name", "hash_scheme", "crypt_scheme");
        java.util.Set<String> known = java.util.Set.of("path", "name", "password", "crypt_scheme", "state", "create", "mode", "owner", "group");
        Map<String, Object> v = new LinkedHashMap<>();
        Map<String, Mark> at = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : given.args.entrySet()) {
            String k = aliases.getOrDefault(e.getKey(), e.getKey());
            if (!known.contains(k)) {
                throw new YamlException(given.marks.get(e.getKey()), key + ": unknown argument '" + e.getKey() + "'" + Suggest.hint(e.getKey(), known)
                        + " (moat maps: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
            v.put(k, e.getValue());
            at.put(k, given.marks.get(e.getKey()));
        }
        Mark where = task.keyMark(key);
        for (String required : List.of("path", "name")) {
            if (!v.containsKey(required)) throw new YamlException(where, key + ": missing required argument '" + required + "'");
        }
        Object state = v.getOrDefault("state", "present");
        if (!"present".equals(state) && !Templar.containsTemplate(state)) {
            throw new YamlException(at.getOrDefault("state", where), key + ": state=" + state
                    + " (removing a user) is not supported by moat's htpasswd; list the users to keep with htpasswd's 'exclusive: true'");
        }
        Object scheme = v.get("crypt_scheme");
        if (scheme != null && !"bcrypt".equals(scheme)) {
            throw new YamlException(at.get("crypt_scheme"), key + ": crypt_scheme=" + scheme + " is not supported; moat hashes with bcrypt on the controller (write crypt_scheme: bcrypt)");
        }
        if (Boolean.FALSE.equals(v.get("create"))) {
            throw new YamlException(at.get("create"), key + ": create=false is not supported; moat's htpasswd creates the file");
        }
        if (!v.containsKey("password")) throw new YamlException(where, key + ": missing required argument 'password' (moat adds or updates the user)");
        ModuleArgs a = ModuleArgs.empty();
        a.put("path", v.get("path"), at.get("path"));
        Map<String, Object> users = new LinkedHashMap<>();
        users.put(String.valueOf(v.get("name")), v.get("password"));
        a.put("users", users, at.get("password"));
        for (String k : List.of("mode", "owner", "group")) if (v.containsKey(k)) a.put(k, v.get(k), at.get(k));
        a.validate("htpasswd", moatSpec, where);
        return a;
    }

}
