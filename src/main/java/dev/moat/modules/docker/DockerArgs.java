package dev.moat.modules.docker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.journal.DockerControl;
import dev.moat.module.ArgException;
import dev.moat.module.Args;

/** Argument checks the Docker modules share: names, {@code pull}, {@code command}, string maps, device requests. */
public final class DockerArgs {
    private DockerArgs() {}

    public static String name(Args a, String key) throws ArgException {
        return checkName(key, a.str(key));
    }

    /** A container, image, network or project name: no option, no shell. */
    public static String checkName(String key, String v) throws ArgException {
        if (v == null || !DockerControl.NAME.matcher(v).matches()) throw new ArgException(key, key + ": '" + v + "' is not a valid Docker name");
        return v;
    }

    /** The collection's {@code pull}: a boolean (true: always, false: missing) or always, missing, never, not_present. */
    public static String pull(Object v) throws ArgException {
        if (v == null) return "missing";
        Boolean b = Args.toBool(v);
        if (b != null && !(v instanceof String s && (s.equals("always") || s.equals("missing") || s.equals("never")))) return b ? "always" : "missing";
        String s = String.valueOf(v);
        if (s.equals("not_present")) return "missing";
        if (!s.matches("always|missing|never")) throw new ArgException("pull", "pull: '" + s + "' is not one of always, missing, never");
        return s;
    }

    /** {@code command} as the collection takes it: a list as is, a string split by {@code splitter} as a shell would. */
    public static List<String> command(Object v, java.util.function.Function<String, List<String>> splitter) throws ArgException {
        if (v == null) return null;
        if (v instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            for (Object o : l) out.add(String.valueOf(o));
            return out;
        }
        try {
            return splitter.apply(String.valueOf(v));
        } catch (RuntimeException e) {
            throw new ArgException("command", "command: " + e.getMessage());
        }
    }

    /** A map whose values Docker takes as strings; booleans as Ansible passes them to Docker ("true"/"false"). */
    public static Map<String, String> stringMap(Map<String, Object> m) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Object v = e.getValue();
            out.put(e.getKey(), v instanceof Boolean x ? (x ? "true" : "false") : v == null ? "" : String.valueOf(v));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public static List<ContainerWant.DeviceRequest> devices(List<Object> entries) throws ArgException {
        List<ContainerWant.DeviceRequest> out = new ArrayList<>();
        for (Object o : entries) {
            if (!(o instanceof Map<?, ?> m)) throw new ArgException("device_requests", "device_requests: each entry is a dictionary");
            for (Object k : m.keySet()) {
                if (!String.valueOf(k).matches("driver|count|device_ids|capabilities|options")) {
                    throw new ArgException("device_requests", "device_requests: unsupported key '" + k + "' (driver, count, device_ids, capabilities, options)");
                }
            }
            Integer count = null;
            if (m.get("count") != null) {
                try {
                    count = Integer.parseInt(String.valueOf(m.get("count")));
                } catch (NumberFormatException e) {
                    throw new ArgException("device_requests", "device_requests: count must be an integer");
                }
            }
            List<String> ids = null;
            if (m.get("device_ids") instanceof List<?> l) {
                ids = new ArrayList<>();
                for (Object x : l) ids.add(String.valueOf(x));
            }
            List<List<String>> caps = null;
            if (m.get("capabilities") instanceof List<?> l) {
                caps = new ArrayList<>();
                for (Object x : l) {
                    List<String> set = new ArrayList<>();
                    if (x instanceof List<?> inner) for (Object y : inner) set.add(String.valueOf(y));
                    else set.add(String.valueOf(x));
                    caps.add(set);
                }
            }
            Map<String, String> opts = m.get("options") instanceof Map<?, ?> om ? stringMap((Map<String, Object>) om) : null;
            out.add(new ContainerWant.DeviceRequest(m.get("driver") == null ? null : String.valueOf(m.get("driver")), count, ids, caps, opts));
        }
        return out;
    }
}
