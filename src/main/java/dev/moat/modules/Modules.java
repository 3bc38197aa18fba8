package dev.moat.modules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.moat.module.Module;

/** The modules moat ships, by the name a task uses. Registering a module is one line here. */
public final class Modules {
    private Modules() {}

    /** Name to module, in a stable order; the map is unmodifiable. */
    public static Map<String, Module<?>> builtin() {
        Map<String, Module<?>> m = new LinkedHashMap<>();
        add(m, Command.command());
        add(m, Command.shell());
        add(m, new Copy());
        add(m, new Template());
        add(m, new File());
        add(m, new Stat());
        add(m, new LineInFile());
        add(m, new Apt());
        add(m, new Package());
        add(m, new Deb822Repository());
        add(m, new DpkgSelections());
        add(m, new AptKey());
        add(m, new AptRepository());
        add(m, new Service());
        add(m, new Ufw());
        add(m, new UfwDocker());
        add(m, new Exposure());
        add(m, new ListenLocal());
        add(m, new Htpasswd());
        add(m, new ComposePorts());
        add(m, new ContainerPorts());
        add(m, new NginxVhost());
        add(m, new Certbot());
        add(m, new Debug());
        add(m, new Assert());
        add(m, new Setup());
        add(m, new Systemd());
        add(m, Systemd.service());
        add(m, new Sysctl());
        add(m, new User());
        add(m, new Group());
        add(m, new AuthorizedKey());
        add(m, new Hostname());
        add(m, new KernelBlacklist());
        add(m, new Modprobe());
        add(m, new Timezone());
        add(m, new Cron());
        add(m, new PamLimits());
        add(m, new Mount());
        add(m, new LocaleGen());
        add(m, new PackageFacts());
        add(m, new ServiceFacts());
        add(m, new Replace());
        add(m, new BlockInFile());
        add(m, new IniFile());
        add(m, new Find());
        add(m, new GetUrl());
        add(m, new Fail());
        add(m, new Pause());
        add(m, new WaitFor());
        add(m, new Getent());
        add(m, new Slurp());
        add(m, new Reboot());
        add(m, new WaitForConnection());
        add(m, new DockerContainer());
        add(m, new DockerCompose());
        add(m, new DockerImage());
        add(m, new DockerNetwork());
        add(m, new Fetch());
        add(m, new AsyncStatus());
        add(m, new Unarchive());
        add(m, new Pip());
        add(m, new Git());
        return Collections.unmodifiableMap(m);
    }

    private static void add(Map<String, Module<?>> m, Module<?> module) {
        if (m.put(module.name(), module) != null) throw new IllegalStateException("module registered twice: " + module.name());
    }
}
