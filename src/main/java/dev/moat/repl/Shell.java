package dev.moat.repl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.history.DefaultHistory;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import dev.moat.ExitCode;
import dev.moat.MoatException;
import dev.moat.transport.UnreachableException;

/**
 * {@code moat shell HOST}: a read-eval-print loop on one host over one SSH connection.
 *
 * <p>On a terminal it reads with JLine: prompt {@code h1> } (or {@code h1 [check]> }), Tab
 * completion, history in the history file (lines holding a secret argument are not saved), Ctrl-C
 * cancels the running command and Ctrl-D leaves. Otherwise it reads stdin line by line and writes
 * plain text (each command echoed after the prompt, no escape codes), and exits 1 when a command
 * failed, so it can be scripted:
 *
 * <pre>
 * printf '%s\n' 'copy dest=/etc/motd content="hi"' ':undo' '!cat /etc/motd' | moat shell h1 -i lab.yml
 * </pre>
 */
public final class Shell {
    private final ShellSetup setup;
    private final boolean startInCheck;
    private final AtomicInteger presses = new AtomicInteger();
    private final AtomicReference<Thread> worker = new AtomicReference<>();
    private ExecutorService executor = newExecutor();

    public Shell(ShellSetup setup, boolean startInCheck) {
        this.setup = setup;
        this.startInCheck = startInCheck;
    }

    /** Runs the terminal shell on the system terminal; returns the exit code. */
    public int runTerminal() {
        Terminal terminal;
        try {
            terminal = TerminalBuilder.builder().system(true).build();
        } catch (IOException e) {
            throw new MoatException(ExitCode.USAGE, "cannot open the terminal: " + e.getMessage());
        }
        try (terminal) {
            PrintWriter out = terminal.writer();
            long t0 = System.nanoTime();
            SessionTransport transport = connect(out);
            try (transport; ShellSession session = new ShellSession(setup, transport, out, true)) {
                session.check(startInCheck);
                DefaultParser parser = new DefaultParser();
                parser.setEofOnUnclosedQuote(false);
                parser.setEscapeChars(new char[0]);
                DefaultHistory history = new DefaultHistory() {
                    @Override
                    public void add(Instant time, String line) {
                        if (!session.holdsSecret(line)) super.add(time, line);
                    }
                };
                LineReaderBuilder b = LineReaderBuilder.builder().terminal(terminal).appName("moat")
                        .completer(new ShellCompleter(new Completions(setup.modules(), session.paths())))
                        .parser(parser).history(history)
                        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                        .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
                        .option(LineReader.Option.AUTO_FRESH_LINE, true);
                if (setup.historyFile() != null) {
                    Files.createDirectories(setup.historyFile().toAbsolutePath().getParent());
                    b.variable(LineReader.HISTORY_FILE, setup.historyFile());
                }
                LineReader reader = b.build();
                banner(out, session, t0);
                terminal.handle(Terminal.Signal.INT, sig -> interrupt(session, out));
                while (true) {
                    String line;
                    try {
                        line = reader.readLine(session.prompt());
                    } catch (UserInterruptException e) {
                        continue;
                    } catch (EndOfFileException e) {
                        break;
                    }
                    if (execute(session, line, out) == Outcome.QUIT) break;
                }
                history.save();
                return ExitCode.OK;
            }
        } catch (IOException e) {
            throw new MoatException(ExitCode.FAILED, e.getMessage());
        } finally {
            executor.shutdownNow();
        }
    }

    /** Reads commands from {@code in} line by line and writes plain output; exits 1 when a command failed. */
    public int runPlain(InputStream in, PrintWriter out) {
        sun.misc.SignalHandler previous = null;
        try {
            long t0 = System.nanoTime();
            SessionTransport transport = connect(out);
            try (transport; ShellSession session = new ShellSession(setup, transport, out, false)) {
                session.check(startInCheck);
                try {
                    previous = sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> interrupt(session, out));
                } catch (IllegalArgumentException e) {
                    // no SIGINT here: Ctrl-C ends the JVM the usual way
                }
                banner(out, session, t0);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                boolean failed = false;
                String line;
                while ((line = r.readLine()) != null) {
                    out.println(session.prompt() + session.shown(line));
                    out.flush();
                    Outcome o = execute(session, line, out);
                    if (o == Outcome.QUIT) break;
                    failed |= o == Outcome.FAILED;
                }
                return failed ? ExitCode.FAILED : ExitCode.OK;
            }
        } catch (IOException e) {
            throw new MoatException(ExitCode.FAILED, e.getMessage());
        } finally {
            if (previous != null) sun.misc.Signal.handle(new sun.misc.Signal("INT"), previous);
            executor.shutdownNow();
        }
    }

    private SessionTransport connect(PrintWriter out) {
        try {
            return new SessionTransport(setup.opener(), msg -> {
                out.println("moat: " + msg);
                out.flush();
            });
        } catch (UnreachableException e) {
            throw new MoatException(ExitCode.UNREACHABLE, e.getMessage());
        } catch (IOException e) {
            throw new MoatException(ExitCode.UNREACHABLE, "cannot connect to " + setup.host() + ": " + e.getMessage());
        }
    }

    private static void banner(PrintWriter out, ShellSession session, long t0) {
        out.println("moat shell: connected to " + session.host() + " in " + (System.nanoTime() - t0) / 1_000_000
                + " ms; changes are journaled as run " + session.runId() + "; :help lists commands, :quit leaves");
        out.flush();
    }

    /** Runs one line on the worker thread, so that Ctrl-C can reach it while this thread waits. */
    private Outcome execute(ShellSession session, String line, PrintWriter out) {
        presses.set(0);
        Future<Outcome> f = executor.submit(() -> session.execute(line));
        while (true) {
            try {
                return f.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (presses.get() >= 3) {
                    // The command ignores interruption: leave it behind and give the prompt back.
                    executor.shutdownNow();
                    executor = newExecutor();
                    out.println("^C abandoned: it may still be running on " + session.host());
                    out.flush();
                    return Outcome.FAILED;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.FAILED;
            } catch (ExecutionException e) {
                out.println("error: internal error: " + e.getCause());
                out.flush();
                return Outcome.FAILED;
            }
        }
    }

    private void interrupt(ShellSession session, PrintWriter out) {
        Thread w = worker.get();
        int n = presses.incrementAndGet();
        if (w == null || n >= 3) return;
        session.cancel(w, n);
    }

    private ExecutorService newExecutor() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "moat-shell-command");
            t.setDaemon(true);
            worker.set(t);
            return t;
        });
    }
}
