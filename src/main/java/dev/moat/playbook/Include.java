package dev.moat.playbook;

import java.util.List;
import java.util.Map;

import dev.moat.yaml.Mark;

/**
 * A dynamic include: {@code include_tasks} or {@code include_role}. Unlike an import, which is
 * inlined when the playbook loads, it is decided when a host reaches it: its {@code when} is
 * evaluated once for the include, its loop runs the included tasks once per item (with the loop
 * variable set), and its {@code tags} select the include itself, not the tasks inside (unless
 * given through {@code apply}). The included file is read and validated at load time when its name
 * is literal ({@code body}); a templated name ({@code "setup-{{ ansible_os_family }}.yml"}) is read
 * when a host reaches it, through {@code later}.
 *
 * <pre>
 * - include_tasks: create-cert.yml
 *   loop: "{{ certbot_certs }}"
 *   loop_control: { loop_var: cert_item }
 *   when: certbot_create_if_missing
 * </pre>
 *
 * @param file       the file (include_tasks) or role (include_role) as written
 * @param loopLookup null for {@code loop:}; the lookup of a {@code with_<lookup>:} loop
 * @param body       the included items, or null when {@code file} is a template
 * @param later      reads a templated include once rendered; null when {@code body} is known
 * @param role       the role the include is written in (its conditions see the role's variables), or null
 */
public record Include(String name, String file, Object loop, String loopLookup, LoopControl loopControl,
                      List<String> when, List<String> tags, Map<String, Object> vars, boolean ignoreErrors,
                      List<TaskItem> body, Later later, Mark mark, RoleScope role) implements TaskItem {
    public Include {
        loopControl = loopControl == null ? LoopControl.DEFAULT : loopControl;
        when = Copies.list(when);
        tags = Copies.list(tags);
        vars = Copies.map(vars);
        body = body == null ? null : List.copyOf(body);
        if ((body == null) == (later == null)) throw new IllegalArgumentException("an include has either a body or a way to read it later");
    }

    /** Reads an include whose file name was a template, once a host has rendered it. */
    @FunctionalInterface
    public interface Later {
        /** The included items; a {@link dev.moat.yaml.YamlException} names the place of a bad one. */
        List<TaskItem> load(String file);
    }

    /** What to show: the name as written, or the keyword and its file. */
    public String displayName() {
        return name != null && !name.isBlank() ? name : "include " + file;
    }
}
