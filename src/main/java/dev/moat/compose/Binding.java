package dev.moat.compose;

/** One published port of a running container as Docker reports it: {@code 8000/tcp} on {@code 0.0.0.0:8000}. An empty host address means every interface. */
public record Binding(String containerPort, String hostIp, String hostPort) {
    public Binding {
        if (hostIp == null) hostIp = "";
        if (hostPort == null) hostPort = "";
    }

    /** The container port number ({@code 8000} of {@code 8000/tcp}), or -1. */
    public int containerNumber() {
        return number(containerPort.contains("/") ? containerPort.substring(0, containerPort.indexOf('/')) : containerPort);
    }

    public int hostNumber() {
        return number(hostPort);
    }

    /** Reachable from outside the host: not loopback and not the bind address. */
    public boolean exposed(String bind) {
        return !(Ip.isLoopback(hostIp) || Ip.same(hostIp, bind));
    }

    public boolean inScope(PortFilter f) {
        if (f.all()) return true;
        int c = containerNumber();
        int h = hostNumber();
        return (c >= 0 && f.matches(c)) || (h >= 0 && f.matches(h));
    }

    @Override
    public String toString() {
        String ip = hostIp.isEmpty() ? "0.0.0.0" : Ip.forShortSyntax(hostIp);
        return ip + ":" + (hostPort.isEmpty() ? "?" : hostPort) + "->" + containerPort;
    }

    private static int number(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
