package dev.moat.cli;

import java.util.concurrent.atomic.AtomicInteger;

import dev.moat.ExitCode;
import dev.moat.engine.Runner;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C during a run: the first stops new tasks (hosts mid-change finish and roll back), the
 * second exits at once with 130.
 */
final class Interrupts {
    private final AtomicInteger count = new AtomicInteger();
    private SignalHandler previous;

    static Interrupts install(Runner runner) {
        Interrupts i = new Interrupts();
        try {
            i.previous = Signal.handle(new Signal("INT"), sig -> {
                if (i.count.incrementAndGet() == 1) {
                    System.err.println("\nmoat: interrupted: starting no new task; hosts mid-change finish and roll back"
                            + " (Ctrl-C again to abort at once)");
                    runner.stop();
                } else {
                    System.err.println("\nmoat: aborted");
                    Runtime.getRuntime().halt(ExitCode.INTERRUPTED);
                }
            });
        } catch (IllegalArgumentException e) {
            // No SIGINT on this platform (or the JVM reserves it): Ctrl-C ends the JVM the usual way.
        }
        return i;
    }

    boolean fired() {
        return count.get() > 0;
    }

    void remove() {
        if (previous != null) Signal.handle(new Signal("INT"), previous);
    }
}
