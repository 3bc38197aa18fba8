package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Set;

import org.junit.jupiter.api.Test;

/** --tags / --skip-tags as Ansible's Taggable.evaluate_tags decides, special tags included. */
class RunOptionsTest {
    private static boolean runs(String tags, String skip, String... taskTags) {
        RunOptions o = new RunOptions(false, false, 1, split(tags), split(skip), null, false);
        return o.selects(Set.of(taskTags));
    }

    private static Set<String> split(String s) {
        return s == null ? null : Set.of(s.split(","));
    }

    @Test
    void withoutTagsEverythingRunsButNever() {
        assertTrue(runs(null, null));
        assertTrue(runs(null, null, "web"));
        assertTrue(runs(null, null, "always"));
        assertFalse(runs(null, null, "never"));
        assertFalse(runs(null, null, "never", "debug"));
        assertTrue(runs("all", null, "web"));
        assertFalse(runs("all", null, "never"));
    }

    @Test
    void tagsSelectTasksSharingOneAndAlwaysTasks() {
        assertTrue(runs("web", null, "web", "tls"));
        assertTrue(runs("web,db", null, "db"));
        assertFalse(runs("web", null, "db"));
        assertFalse(runs("web", null), "an untagged task is not selected by a named tag");
        assertTrue(runs("web", null, "always"));
    }

    @Test
    void neverTasksRunOnlyWhenOneOfTheirTagsIsAsked() {
        assertTrue(runs("debug", null, "never", "debug"));
        assertTrue(runs("never", null, "never", "debug"));
        assertTrue(runs("all,debug", null, "never", "debug"), "asked by name, even next to all");
        assertFalse(runs("web", null, "never", "debug"));
        assertFalse(runs("tagged", null, "never", "debug"), "tagged does not include never");
    }

    @Test
    void taggedAndUntagged() {
        assertTrue(runs("tagged", null, "web"));
        assertFalse(runs("tagged", null));
        assertTrue(runs("untagged", null));
        assertFalse(runs("untagged", null, "web"));
        assertTrue(runs("untagged", null, "always"));
    }

    @Test
    void skipTagsDropSharedTagsEvenAlways() {
        assertFalse(runs(null, "web", "web", "tls"));
        assertTrue(runs(null, "web", "db"));
        assertTrue(runs(null, "web"));
        assertFalse(runs(null, "always", "always"));
        assertFalse(runs(null, "web", "always", "web"), "a skipped tag wins over always");
        assertFalse(runs("db", "web", "db", "web"), "skip wins over select");
    }

    @Test
    void skipTagsSpecialValues() {
        assertFalse(runs(null, "all", "web"));
        assertFalse(runs(null, "all"));
        assertTrue(runs(null, "all", "always"), "--skip-tags all keeps always tasks");
        assertFalse(runs(null, "all,always", "always"));
        assertFalse(runs(null, "tagged", "web"));
        assertTrue(runs(null, "tagged"));
        assertFalse(runs(null, "untagged"));
        assertTrue(runs(null, "untagged", "web"));
    }
}
