package dev.moat.transport.ssh;

import dev.moat.transport.Command;
import dev.moat.transport.Endpoint;
import dev.moat.transport.Transport;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.verification.PromiscuousVerifier;

/**
 * Not a test: measures connect + auth + one exec against a loopback sshd, N connections in
 * parallel, for moat's connector and for a plain sshj program (a new SSHClient, so a new
 * DefaultConfig, per host). Prints wall time, this JVM's CPU and sshd's CPU (its reaped children).
 * Run: java -cp ... dev.moat.transport.ssh.SshBench N ROUNDS
 */
public final class SshBench {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        String user = args.length > 2 ? args[2] : "root";
        String only = args.length > 3 ? args[3] : "all";
        Path dir = Files.createTempDirectory("moat-bench");
        try (TestSshd sshd = new TestSshd(dir)) {
            Path kh = dir.resolve("known_hosts");
            Files.writeString(kh, sshd.knownHostsLine());
            SshSettings s = new SshSettings(List.of(kh), false, null, null, null, Duration.ofSeconds(30), null,
                    dir.resolve("none"), List.of(sshd.clientKey), null);
            System.out.println("sshd pid " + sshd.pid() + ", " + n + " parallel connections, connect+auth+exec 'echo ok'");
            for (int r = 0; r < rounds; r++) {
                if (only.equals("all") || only.equals("moat")) measure("moat SshConnector", sshd, n, () -> {
                    SshConnector c = new SshConnector(s);
                    return i -> {
                        try (Transport t = c.connect(Endpoint.of("h" + i, "127.0.0.1", sshd.port, user))) {
                            if (!t.exec(Command.of("echo ok", false)).out().equals("ok\n")) throw new IllegalStateException();
                        }
                    };
                });
                if (only.equals("all") || only.equals("sshj")) measure("plain sshj, new DefaultConfig per host", sshd, n, () -> i -> {
                    try (SSHClient c = new SSHClient(new DefaultConfig())) {
                        c.addHostKeyVerifier(new PromiscuousVerifier());
                        c.connect("127.0.0.1", sshd.port);
                        c.authPublickey(user, c.loadKeys(sshd.clientKey.toString()));
                        try (Session ss = c.startSession(); Session.Command cmd = ss.exec("echo ok")) {
                            cmd.getInputStream().readAllBytes();
                            cmd.join();
                        }
                    }
                });
                String ssh = "ssh -q -i " + sshd.clientKey + " -o BatchMode=yes -o GSSAPIAuthentication=no -o UserKnownHostsFile=" + kh
                        + " -p " + sshd.port + " " + user + "@127.0.0.1 'echo ok' >/dev/null";
                if (only.equals("all") || only.equals("ssh")) measure("OpenSSH client processes", sshd, 1, () -> i -> {
                    Process p = new ProcessBuilder("bash", "-c", "for i in $(seq " + n + "); do " + ssh + " & done; wait")
                            .inheritIO().start();
                    if (p.waitFor() != 0) throw new IllegalStateException("ssh failed");
                });
            }
        }
    }

    interface Job {
        void run(int i) throws Exception;
    }

    interface Setup {
        Job make() throws Exception;
    }

    static void measure(String name, TestSshd sshd, int n, Setup setup) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long kids0 = childrenCpuMs();
        long cpu0 = os.getProcessCpuTime(), sshd0 = sshdCpuMs(sshd.pid()), t0 = System.nanoTime();
        Job job = setup.make();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            fs.add(pool.submit(() -> {
                job.run(k);
                return null;
            }));
        }
        for (Future<?> f : fs) f.get();
        pool.shutdown();
        long wall = (System.nanoTime() - t0) / 1_000_000;
        Thread.sleep(300); // let sshd reap its children
        long cpu = (os.getProcessCpuTime() - cpu0) / 1_000_000 + childrenCpuMs() - kids0, sshdCpu = sshdCpuMs(sshd.pid()) - sshd0;
        System.out.printf("%-42s wall %5d ms   client CPU %5d ms   sshd CPU %5d ms%n", name, wall, cpu, sshdCpu);
    }

    /** CPU of this JVM's reaped child processes (the ssh clients), in ms. */
    static long childrenCpuMs() throws Exception {
        return sshdCpuMs(ProcessHandle.current().pid()) - selfMs(ProcessHandle.current().pid());
    }

    static long selfMs(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    /** utime+stime+cutime+cstime of the listening sshd, in ms (USER_HZ 100). */
    static long sshdCpuMs(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        return ticks * 10;
    }
}
