package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.module.Args;
import dev.moat.yaml.MapNode;
import dev.moat.yaml.YamlLoader;

/**
 * {@code mode:} as YAML writes it, against Ansible's recorded answers ({@code bad/modes-ansible.txt}):
 * a decimal number is taken as that number (600 is 01130), YAML 1.1 octal {@code 0644} stays 0644,
 * strings are octal or symbolic.
 */
class ModeLiteralsTest {
    @Test
    void everyLiteralGetsTheModeAnsibleGave(@TempDir Path tmp) throws Exception {
        int n = 0;
        for (String line : Files.readAllLines(Path.of("src/test/resources/bad/modes-ansible.txt"))) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String literal = line.substring(0, line.lastIndexOf(' ')), want = line.substring(line.lastIndexOf(' ') + 1);
            Path f = tmp.resolve("m" + n++ + ".yml");
            Files.writeString(f, "mode: " + literal + "\n");
            Object value = ((MapNode) YamlLoader.load(f)).get("mode").toPlain();
            Args args = Args.check(new File().spec(), Map.of("path", "/x", "mode", value));
            assertEquals(Integer.parseInt(want, 8), Modes.apply(args.str("mode"), 0644, false), literal + " -> " + want);
        }
        assertEquals(9, n);
    }
}
