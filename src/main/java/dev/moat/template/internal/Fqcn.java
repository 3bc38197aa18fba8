package dev.moat.template.internal;

import java.util.List;
import java.util.Map;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.AdvancedFilter;
import com.hubspot.jinjava.lib.filter.Filter;

/**
 * The collection names of the filters and tests moat has ({@code ansible.builtin.to_json},
 * {@code ansible.utils.ipaddr}, {@code community.general.dict}). Each is registered twice: as
 * written, for {@code map('ansible.builtin.quote')}, and as {@link JinjaSource} rewrites it in
 * {@code x | ansible.builtin.quote}. Only Ansible's own plugins are in {@code ansible.builtin}
 * (Jinja's {@code upper} is not, there as in Ansible).
 */
final class Fqcn {
    private Fqcn() {}

    /** Ansible 2.14's own filters (ansible/plugins/filter). */
    static final List<String> BUILTIN_FILTERS = List.of("b64decode", "b64encode", "basename", "bool", "checksum",
            "combinations", "combine", "comment", "dict2items", "difference", "dirname", "expanduser", "expandvars",
            "extract", "fileglob", "flatten", "from_json", "from_yaml", "from_yaml_all", "hash", "human_readable",
            "human_to_bytes", "intersect", "items2dict", "log", "mandatory", "md5", "password_hash", "path_join",
            "permutations", "pow", "product", "quote", "random", "realpath", "regex_escape", "regex_findall",
            "regex_replace", "regex_search", "rekey_on_member", "relpath", "root", "sha1", "shuffle", "split",
            "splitext", "strftime", "subelements", "symmetric_difference", "ternary", "to_datetime", "to_json",
            "to_nice_json", "to_nice_yaml", "to_uuid", "to_yaml", "type_debug", "union", "unique", "unvault",
            "urldecode", "urlsplit", "vault", "win_basename", "win_dirname", "win_splitdrive", "zip", "zip_longest");

    /** Ansible 2.14's own tests (ansible/plugins/test). */
    static final List<String> BUILTIN_TESTS = List.of("abs", "all", "any", "change", "changed", "contains", "directory",
            "exists", "failed", "failure", "falsy", "file", "finished", "is_abs", "is_dir", "is_file", "is_link",
            "is_mount", "is_same_file", "isnan", "issubset", "issuperset", "link", "link_exists", "match", "mount", "nan",
            "reachable", "regex", "same_file", "search", "skip", "skipped", "started", "subset", "succeeded", "success",
            "successful", "superset", "truthy", "unreachable", "uri", "url", "urn", "vault_encrypted", "version",
            "version_compare");

    static final Map<String, List<String>> FILTERS = Map.of(
            "ansible.builtin", BUILTIN_FILTERS,
            "ansible.utils", List.of("ipaddr", "ipv4", "ipv6", "nthhost", "network_in_usable", "network_in_network"),
            "community.general", List.of("dict", "json_query"));

    static final Map<String, List<String>> TESTS = Map.of(
            "ansible.builtin", BUILTIN_TESTS,
            "ansible.utils", List.of("ip", "ip_address", "ipv4", "ipv6", "ipv4_address", "ipv6_address", "in_network"));

    /**
     * Registers the collection names of every filter and test {@code global} has, and of those
     * that have only a collection name ({@code onlyFilters}, {@code onlyTests}).
     */
    static void register(Context global, Map<String, Filter> onlyFilters, Map<String, ExpTest> onlyTests) {
        FILTERS.forEach((collection, names) -> {
            for (String n : names) {
                Filter f = onlyFilters.containsKey(n) ? onlyFilters.get(n) : global.getFilter(n);
                if (f == null) continue;
                global.registerFilter(new Renamed(collection + "." + n, f));
                global.registerFilter(new Renamed(rewritten(collection, n), f));
            }
        });
        TESTS.forEach((collection, names) -> {
            for (String n : names) {
                ExpTest t = onlyTests.containsKey(n) ? onlyTests.get(n) : global.getExpTest(n);
                if (t == null) continue;
                global.registerExpTest(new RenamedTest(collection + "." + n, t));
                global.registerExpTest(new RenamedTest(rewritten(collection, n), t));
            }
        });
    }

    private static String rewritten(String collection, String name) {
        return (collection + "." + name).replace(".", JinjaSource.FQCN_SEPARATOR);
    }

    private record Renamed(String getName, Filter delegate) implements AdvancedFilter {
        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            return delegate.filter(var, interpreter, args, kwargs);
        }

        @Override
        public boolean preserveSafeString() {
            return delegate.preserveSafeString();
        }
    }

    private record RenamedTest(String getName, ExpTest delegate) implements ExpTest {
        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            return delegate.evaluate(var, interpreter, args);
        }

        @Override
        public boolean evaluateNegated(Object var, JinjavaInterpreter interpreter, Object... args) {
            return delegate.evaluateNegated(var, interpreter, args);
        }
    }
}
