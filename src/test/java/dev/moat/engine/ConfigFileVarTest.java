package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.config.ConfigEnv;

/** {@code ansible_config_file}: the ansible.cfg read, as Ansible's C.CONFIG_FILE (null without one, recorded: `ansible -m debug -a var=ansible_config_file` prints null). */
class ConfigFileVarTest {
    @TempDir Path tmp;

    @Test
    void theCfgFoundAsAnsibleFindsIt() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        ConfigEnv env = new ConfigEnv(Map.of(), project, home);
        if (!Files.exists(Path.of("/etc/ansible/ansible.cfg"))) assertNull(MagicVars.configFile(env));
        Files.writeString(home.resolve(".ansible.cfg"), "[defaults]\n");
        assertEquals(home.resolve(".ansible.cfg").toString(), MagicVars.configFile(env));
        Files.writeString(project.resolve("ansible.cfg"), "[defaults]\n");
        assertEquals(project.resolve("ansible.cfg").toString(), MagicVars.configFile(env), "the working directory's first");
        Path other = Files.writeString(tmp.resolve("other.cfg"), "[defaults]\n");
        assertEquals(other.toString(), MagicVars.configFile(new ConfigEnv(Map.of("ANSIBLE_CONFIG", other.toString()), project, home)));
    }
}
