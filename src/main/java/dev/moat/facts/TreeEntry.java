package dev.moat.facts;

/** One path under a tree read by {@link TreeFact}: its type ('f', 'd', 'l', ... as find's {@code %y}), mode and owners. */
public record TreeEntry(String path, char type, String mode, int uid, int gid, String owner, String group) {
    public boolean isLink() {
        return type == 'l';
    }

    public boolean isDirectory() {
        return type == 'd';
    }
}
