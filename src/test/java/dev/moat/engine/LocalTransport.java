package dev.moat.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Transport;

/**
 * For engine unit tests: runs scripts with the local {@code sh}, ignoring become; records what it
 * ran, and each command as sent (tests check who it was to run as: become, become user). Hosts share this machine's filesystem, so {@value #HOST} in a script becomes the host's name
 * (tests put it in journal paths so each simulated host has its own).
 */
public final class LocalTransport implements Transport {
    private final String host;
    static final String HOST = "@HOST@";
    final List<String> scripts = new ArrayList<>();
    public final List<Command> commands = new ArrayList<>();

    /** The user this "connection" logged in as (the connector's {@code ansible_user}), or null. */
    final String user;

    LocalTransport(String host) {
        this(host, null);
    }

    LocalTransport(String host, String user) {
        this.host = host;
        this.user = user;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public synchronized ExecResult exec(Command c) throws IOException {
        String script = c.script().replace(HOST, host);
        scripts.add(script);
        commands.add(c);
        return dev.moat.transport.ControllerShell.run(script, c.stdin(), c.timeout());
    }

    @Override
    public void close() {}
}
