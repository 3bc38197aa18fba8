package dev.moat.modules.system;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.transport.Sh;

/** A local group's id, or -1 when there is no such group; key {@code account:/etc/passwd/group/NAME}. */
public record GroupFact(String name) implements Fact<Integer> {
    public GroupFact {
        if (!Accounts.isName(name)) throw new IllegalArgumentException("not a group name: " + name);
    }

    @Override
    public String key() {
        return "account:" + Accounts.DB + "/group/" + name;
    }

    @Override
    public String script() {
        return "getent group " + Sh.q(name) + " | cut -d: -f3; :";
    }

    @Override
    public Integer parse(FactOutput out) {
        String t = out.text().strip();
        return t.matches("\\d+") ? Integer.parseInt(t) : -1;
    }
}
