package dev.moat.template.internal;

import java.nio.file.Path;

import dev.moat.template.Secrets;
import dev.moat.template.TemplateException;
import dev.moat.template.Vars;

/**
 * The state of one render on this thread: what the static Jinjava functions (lookups) need, and
 * the first failure. Jinjava turns exceptions thrown inside an expression into soft template errors
 * (or swallows them); recording the failure here lets the Templar fail the render anyway and name
 * the real cause. It also knows whether the render read a secret (its taint), so that what the
 * render makes of a secret is masked like the secret. Renders nest (a variable whose value is a template is rendered while the outer
 * template is); a nested failure is passed up to the enclosing render.
 */
public final class Frame {
    private static final ThreadLocal<Frame> CURRENT = new ThreadLocal<>();

    private final Frame parent;
    private final Path baseDir;
    private final Secrets secrets;
    private final Vars vars;
    private TemplateException failure;
    private boolean tainted;
    private final java.util.List<Object> read = new java.util.ArrayList<>();

    private Frame(Frame parent, Path baseDir, Secrets secrets, Vars vars) {
        this.parent = parent;
        this.baseDir = baseDir;
        this.secrets = secrets;
        this.vars = vars;
    }

    public static Frame push(Path baseDir, Secrets secrets, Vars vars) {
        Frame f = new Frame(CURRENT.get(), baseDir, secrets, vars);
        CURRENT.set(f);
        return f;
    }

    /** Ends this render; a failure is handed to the enclosing render too. */
    public void pop() {
        if (parent == null) CURRENT.remove();
        else CURRENT.set(parent);
        if (failure != null && parent != null && parent.failure == null) parent.failure = failure;
        if (tainted && parent != null) parent.tainted = true;
    }

    /** Records {@code value} (from a lookup) as secret: this render, and any that encloses it, read a secret. */
    public void secret(String value) {
        secrets.add(value);
        tainted = true;
    }

    /** This render read a secret (a lookup, or a variable holding one): what it makes is secret too. */
    public void taint() {
        tainted = true;
    }

    /** This render read {@code value}, which holds a secret: a string copied out of it is not made of the secret. */
    public void taint(Object value) {
        tainted = true;
        read.add(value);
    }

    /** The secret-holding values this render read. */
    public java.util.List<Object> read() {
        return read;
    }

    public boolean tainted() {
        return tainted;
    }

    public static Frame current() {
        Frame f = CURRENT.get();
        if (f == null) throw new IllegalStateException("no template is being rendered on this thread");
        return f;
    }

    /** The render on this thread, or null outside one. */
    public static Frame peek() {
        return CURRENT.get();
    }

    /** Records {@code e} as the current render's failure (the first one wins) and returns it. */
    public static TemplateException fail(TemplateException e) {
        Frame f = CURRENT.get();
        if (f != null && f.failure == null) f.failure = e;
        return e;
    }

    public TemplateException failure() {
        return failure;
    }

    public Path baseDir() {
        return baseDir;
    }

    public Secrets secrets() {
        return secrets;
    }

    public Vars vars() {
        return vars;
    }
}
