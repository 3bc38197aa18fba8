package dev.moat.modules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.module.ArgException;
import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Args;
import dev.moat.module.Fact;
import dev.moat.module.Facts;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Spec;
import dev.moat.module.TaskException;
import dev.moat.module.FactOutput;
import dev.moat.transport.Sh;

/**
 * Ansible's {@code getent}: runs {@code getent DATABASE [KEY]} on the host and sets the fact
 * {@code getent_<database>} (also under {@code ansible_facts}): each entry's key to the rest of its
 * fields, split on {@code split} (":" for passwd, shadow, group and gshadow, else whitespace).
 * Read-only, with no undo.
 *
 * <pre>
 * - getent: {database: passwd, key: www-data}
 * - debug: {msg: "home is {{ getent_passwd['www-data'][4] }}"}
 * </pre>
 */
public final class Getent implements Module<Getent.GetentArgs> {
    private static final List<String> COLON = List.of("passwd", "shadow", "group", "gshadow");
    static final Spec SPEC = Spec.of(
            ArgSpec.required("database", ArgType.STRING),
            ArgSpec.optional("key", ArgType.STRING),
            ArgSpec.optional("service", ArgType.STRING),
            ArgSpec.optional("split", ArgType.STRING),
            ArgSpec.optional("fail_key", ArgType.BOOL, true));

    /** Validated arguments; {@code split} null means whitespace. */
    public record GetentArgs(String database, String key, String service, String split, boolean failKey) {}

    @Override
    public String name() {
        return "getent";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public GetentArgs bind(Args a) throws ArgException {
        String db = a.str("database");
        if (!db.matches("[A-Za-z0-9_.-]+")) throw new ArgException("database", "database: '" + db + "' is not a getent database name");
        String split = a.str("split");
        if (split == null && COLON.contains(db)) split = ":";
        return new GetentArgs(db, a.str("key"), a.str("service"), split, a.bool("fail_key"));
    }

    /** The getent command's output and exit status. */
    record GetentFact(GetentArgs a) implements Fact<FactOutput> {
        @Override
        public String key() {
            return "getent:" + a.database() + ":" + (a.key() == null ? "" : a.key()) + ":" + (a.service() == null ? "" : a.service());
        }

        @Override
        public String script() {
            return "getent " + Sh.q(a.database()) + (a.key() == null ? "" : " " + Sh.q(a.key()))
                    + (a.service() == null ? "" : " -s " + Sh.q(a.service())) + "; echo \"rc=$?\" >&2; true";
        }

        @Override
        public FactOutput parse(FactOutput out) {
            return out;
        }
    }

    @Override
    public List<Fact<?>> reads(GetentArgs args) {
        return List.of(new GetentFact(args));
    }

    @Override
    public Plan plan(GetentArgs args, Facts facts, PlanContext ctx) throws TaskException {
        FactOutput out = facts.get(new GetentFact(args));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("rc=(\\d+)\\s*$").matcher(out.errText());
        int rc = m.find() ? Integer.parseInt(m.group(1)) : out.rc();
        return decide(args, rc, out.text());
    }

    /** The result of {@code getent} exiting {@code rc} with {@code out}, as Ansible's module makes it. */
    static Plan decide(GetentArgs args, int rc, String out) throws TaskException {
        String tree = "getent_" + args.database();
        Map<String, Object> entries = new LinkedHashMap<>();
        if (rc == 0) {
            Map<String, Integer> seen = new LinkedHashMap<>();
            for (String line : out.split("\n")) {
                if (line.isEmpty()) continue;
                List<String> record = args.split() == null ? Arrays.asList(line.strip().split("\\s+"))
                        : Arrays.asList(line.split(java.util.regex.Pattern.quote(args.split()), -1));
                String k = record.get(0);
                List<Object> rest = new ArrayList<>(record.subList(1, record.size()));
                if (seen.containsKey(k)) {
                    if (seen.get(k) == 1) entries.put(k, new ArrayList<>(List.of(entries.get(k))));
                    @SuppressWarnings("unchecked") List<Object> many = (List<Object>) entries.get(k);
                    many.add(rest);
                    seen.put(k, seen.get(k) + 1);
                } else {
                    entries.put(k, rest);
                    seen.put(k, 1);
                }
            }
            return Plan.converged().withResult(Map.of("ansible_facts", Map.of(tree, entries)));
        }
        String msg = switch (rc) {
            case 1 -> "Missing arguments, or database unknown.";
            case 2 -> "One or more supplied key could not be found in the database.";
            case 3 -> "Enumeration not supported on this database.";
            case 127 -> "getent: the getent command is not on the host";
            default -> "Unexpected failure!";
        };
        if (rc == 2 && !args.failKey()) {
            entries.put(args.key(), null);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ansible_facts", Map.of(tree, entries));
            result.put("msg", msg);
            return Plan.converged().withResult(result);
        }
        throw new TaskException(msg);
    }
}
