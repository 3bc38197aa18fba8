package dev.moat.modules.system;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link UserFact} read. {@code hashDigest} is the SHA-256 of the password hash (without a
 * lock's leading {@code !}), null when there is none: enough to tell whether a wanted hash is set,
 * never the hash.
 */
public record UserState(String name, boolean exists, int uid, int gid, String comment, String home, String shell,
                        String hashDigest, boolean locked, List<GroupEntry> groups, boolean homeExists) {
    /** One line of the group database: its name, id and member list. */
    public record GroupEntry(String name, int gid, List<String> members) {
        public GroupEntry {
            members = List.copyOf(members);
        }
    }

    public UserState {
        groups = List.copyOf(groups);
    }

    /** The group named (or numbered) {@code nameOrGid}, or null. */
    public GroupEntry group(String nameOrGid) {
        for (GroupEntry g : groups) if (g.name().equals(nameOrGid)) return g;
        if (nameOrGid.matches("\\d+")) for (GroupEntry g : groups) if (g.gid() == Integer.parseInt(nameOrGid)) return g;
        return null;
    }

    /** The groups that list this user as a member (its supplementary groups), by name. */
    public List<String> memberOf() {
        List<String> out = new ArrayList<>();
        for (GroupEntry g : groups) if (g.members().contains(name)) out.add(g.name());
        return out;
    }

    /** The name of the primary group, or its id when no group has it. */
    public String primaryGroup() {
        for (GroupEntry g : groups) if (g.gid() == gid) return g.name();
        return String.valueOf(gid);
    }
}
