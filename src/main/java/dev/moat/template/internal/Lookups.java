package dev.moat.template.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.hubspot.jinjava.el.ext.NamedParameter;

import dev.moat.template.TemplateException;

/**
 * Ansible's {@code lookup()} and {@code query()} with the two plugins moat has: {@code env} and
 * {@code file}. Every value they return is recorded as a secret of the run, so the output layer can
 * mask it. Unlike Ansible, an unset environment variable is undefined rather than an empty string:
 * an empty password must never slip through ({@code lookup('env', 'X') | default('')} still works).
 */
public final class Lookups {
    private Lookups() {}

    /** {@code lookup(kind, term, ...)}: one term gives its value, several give them comma-joined. */
    public static Object lookup(String kind, Object... args) {
        List<Object> values = run(kind, args);
        if (values.size() == 1) return values.get(0);
        List<String> parts = new ArrayList<>();
        for (Object v : values) parts.add(String.valueOf(Undefined.require(v)));
        return String.join(",", parts);
    }

    /** {@code query(kind, term, ...)}: always a list. */
    public static Object query(String kind, Object... args) {
        List<Object> values = run(kind, args);
        for (Object v : values) Undefined.require(v);
        return values;
    }

    private static List<Object> run(String kind, Object[] args) {
        Object fallback = null;
        boolean hasFallback = false;
        List<String> terms = new ArrayList<>();
        for (Object a : args == null ? new Object[0] : args) {
            if (a instanceof NamedParameter p) {
                if (!p.getName().equals("default")) {
                    throw fail("lookup('" + kind + "'): unknown option '" + p.getName() + "'");
                }
                fallback = p.getValue();
                hasFallback = true;
            } else {
                terms.add(String.valueOf(Undefined.require(a)));
            }
        }
        if (terms.isEmpty()) throw fail("lookup('" + kind + "') needs a term, e.g. lookup('" + kind + "', 'NAME')");
        List<Object> out = new ArrayList<>();
        for (String term : terms) {
            switch (kind) {
                case "env":
                    out.add(env(term, hasFallback, fallback));
                    break;
                case "file":
                    out.add(file(term));
                    break;
                default:
                    throw fail("unknown lookup '" + kind + "'; moat has 'env' and 'file'");
            }
        }
        return out;
    }

    private static Object env(String name, boolean hasFallback, Object fallback) {
        String v = System.getenv(name);
        if (v == null) {
            if (hasFallback) return fallback;
            return Undefined.of(name, "environment variable '" + name + "' is not set (lookup('env', '" + name + "'))");
        }
        Frame.current().secret(v);
        return v;
    }

    private static Object file(String name) {
        Frame f = Frame.current();
        Path p = Path.of(name);
        if (!p.isAbsolute() && f.baseDir() != null) p = f.baseDir().resolve(p);
        try {
            String content = Files.readString(p, StandardCharsets.UTF_8).stripTrailing();
            f.secret(content);
            return content;
        } catch (NoSuchFileException e) {
            throw fail("lookup('file', '" + name + "'): no such file " + p);
        } catch (IOException e) {
            throw fail("lookup('file', '" + name + "'): cannot read " + p + ": " + e.getMessage());
        }
    }

    private static TemplateException fail(String message) {
        return Frame.fail(new TemplateException(message));
    }
}
