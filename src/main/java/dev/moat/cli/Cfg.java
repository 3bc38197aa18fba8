package dev.moat.cli;

import java.io.PrintWriter;
import java.util.function.Supplier;

import dev.moat.config.AnsibleConfig;
import dev.moat.config.ConfigEnv;

/** ansible.cfg for a command: found and read once, its warnings printed as Ansible prints them. */
final class Cfg {
    /** Where the environment comes from; tests replace it. */
    static Supplier<ConfigEnv> env = ConfigEnv::system;

    private Cfg() {}

    static AnsibleConfig load(PrintWriter err) {
        AnsibleConfig cfg = AnsibleConfig.load(env.get());
        if (err != null) {
            for (String w : cfg.warnings()) err.println("[WARNING]: " + w);
            err.flush();
        }
        return cfg;
    }
}
