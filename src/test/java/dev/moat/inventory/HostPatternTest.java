package dev.moat.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.moat.MoatException;

class HostPatternTest {
    private static final Inventory INV = InventoryLoader.parse(String.join("\n",
            "all:",
            "  hosts:",
            "    bastion:",
            "  children:",
            "    gpu:",
            "      hosts:",
            "        gpu-[1:3].example.net:",
            "      children:",
            "        eu:",
            "          hosts:",
            "            gpu-1.example.net:",
            "            gpu-2.example.net:",
            "    web:",
            "      hosts:",
            "        web1:",
            "        web2:",
            "        gpu-3.example.net:",
            ""), Path.of("/nonexistent/inv.yml"));

    private static List<String> sel(String pattern) {
        return HostPattern.select(INV, pattern).stream().map(Host::name).toList();
    }

    @Test
    void aPlayPatternIgnoresTermsThatMatchNothingAsAnsibleDoes() {
        java.util.List<String> unmatched = new java.util.ArrayList<>();
        List<String> hosts = HostPattern.selectForPlay(INV, "web:nomatch:&gpu*:&nothing2", null, unmatched::add).stream().map(Host::name).toList();
        assertEquals(List.of(), hosts, "&nothing2 intersects with nothing");
        assertEquals(List.of("nomatch", "nothing2"), unmatched);
        unmatched.clear();
        assertEquals(List.of("web1", "web2", "gpu-3.example.net"),
                HostPattern.selectForPlay(INV, "web,typo", null, unmatched::add).stream().map(Host::name).toList());
        assertEquals(List.of("typo"), unmatched);
        assertEquals(List.of("web1"), HostPattern.selectForPlay(INV, "web,typo", "web1", unmatched::add).stream().map(Host::name).toList());
        assertThrows(dev.moat.MoatException.class, () -> HostPattern.selectForPlay(INV, "web:!web9", null, unmatched::add),
                "an exclusion that matches nothing is still refused");
        assertThrows(dev.moat.MoatException.class, () -> HostPattern.selectForPlay(INV, "web", "typo", unmatched::add),
                "so is a --limit that matches nothing");
    }

    @Test
    void allStarGroupsAndHosts() {
        List<String> all = List.of("bastion", "gpu-1.example.net", "gpu-2.example.net", "gpu-3.example.net", "web1", "web2");
        assertEquals(all, sel("all"));
        assertEquals(all, sel("*"));
        assertEquals(List.of("gpu-1.example.net", "gpu-2.example.net", "gpu-3.example.net"), sel("gpu"));
        assertEquals(List.of("web1"), sel("web1"));
        assertEquals(List.of("bastion"), sel("ungrouped"));
    }

    @Test
    void globsAndRegexes() {
        assertEquals(List.of("web1", "web2", "gpu-3.example.net"), sel("web*"));
        assertEquals(List.of("gpu-1.example.net", "gpu-2.example.net", "gpu-3.example.net"), sel("*.example.net"));
        assertEquals(List.of("web2"), sel("web[!1]"));
        assertEquals(List.of("gpu-1.example.net", "gpu-2.example.net"), sel("~gpu-[12]"));
    }

    @Test
    void unionsIntersectionsExclusions() {
        assertEquals(List.of("web1", "web2", "gpu-3.example.net", "bastion"), sel("web:bastion"));
        assertEquals(List.of("web1", "web2", "gpu-3.example.net", "bastion"), sel("web,bastion"));
        assertEquals(List.of("gpu-3.example.net"), sel("gpu:&web"));
        assertEquals(List.of("gpu-1.example.net", "gpu-2.example.net"), sel("gpu:!web"));
        assertEquals(List.of("gpu-3.example.net"), sel("gpu:!eu"));
    }

    @Test
    void unionsFirstThenIntersectionsThenExclusionsWhateverTheOrder() {
        assertEquals(sel("gpu:web:&eu:!gpu-1.example.net"), sel("!gpu-1.example.net:&eu:gpu:web"));
        assertEquals(List.of("gpu-2.example.net"), sel("!gpu-1.example.net,&eu,gpu"));
        assertEquals(List.of("bastion", "web1", "web2"), sel("!gpu"));
    }

    @Test
    void subscripts() {
        assertEquals(List.of("gpu-1.example.net"), sel("gpu[0]"));
        assertEquals(List.of("gpu-3.example.net"), sel("gpu[-1]"));
        assertEquals(List.of("gpu-1.example.net", "gpu-2.example.net"), sel("gpu[0:1]"));
        assertEquals(List.of("gpu-2.example.net", "gpu-3.example.net"), sel("gpu[1:]"));
        MoatException e = assertThrows(MoatException.class, () -> sel("gpu[7]"));
        assertEquals(64, e.exitCode());
    }

    @Test
    void limitIntersects() {
        assertEquals(List.of("gpu-1.example.net", "gpu-2.example.net"),
                HostPattern.select(INV, "gpu", "eu").stream().map(Host::name).toList());
        assertEquals(List.of("gpu-1.example.net", "gpu-3.example.net"),
                HostPattern.select(INV, "gpu", "!gpu-2.example.net").stream().map(Host::name).toList());
        assertEquals(List.of(), HostPattern.select(INV, "web1", "eu"));
    }

    @Test
    void aTermThatMatchesNothingIsAUsageErrorWithCloseNames() {
        MoatException e = assertThrows(MoatException.class, () -> sel("gpu:!webb1"));
        assertEquals(64, e.exitCode());
        assertEquals("host pattern '!webb1' matches no host or group in /nonexistent/inv.yml (did you mean web1, web, web2?)",
                e.getMessage());
        assertTrue(assertThrows(MoatException.class, () -> sel("db*")).getMessage().contains("'db*' matches no host"));
        assertTrue(assertThrows(MoatException.class, () -> sel("~(")).getMessage().startsWith("invalid host pattern '~('"));
        assertEquals(64, assertThrows(MoatException.class, () -> sel("~[")).exitCode(), "an unclosed bracket never matches every host");
        assertEquals(64, assertThrows(MoatException.class, () -> sel("~")).exitCode(), "an empty regex never matches every host");
        assertEquals(64, assertThrows(MoatException.class, () -> HostPattern.parse(" , ")).exitCode());
    }

    @Test
    void knownTermsThatSelectNothingTogetherAreNotAnError() {
        assertEquals(List.of(), sel("eu:&web1"));
    }

    @Test
    void splitsAsAnsibleDoes() {
        assertEquals(List.of("a", "&b", "!c"), HostPattern.parse("a:&b:!c").terms());
        assertEquals(List.of("a", "b[1:2]", "c"), HostPattern.parse("a, b[1:2] ,c").terms());
        assertEquals(List.of("gpu[0:2]", "!x"), HostPattern.parse("gpu[0:2]:!x").terms());
        assertEquals(List.of("fe80::1"), HostPattern.parse("fe80::1").terms());
    }
}
