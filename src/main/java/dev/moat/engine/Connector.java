package dev.moat.engine;

import java.io.IOException;
import java.util.Map;

import dev.moat.transport.Transport;

/** Opens the one connection a run keeps to a host, from the host's resolved variables. */
public interface Connector {
    Transport connect(String host, Map<String, Object> hostVars) throws IOException;
}
