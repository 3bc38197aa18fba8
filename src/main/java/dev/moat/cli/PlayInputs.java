package dev.moat.cli;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.ExitCode;
import dev.moat.MoatException;
import dev.moat.playbook.Play;
import dev.moat.playbook.Playbook;
import dev.moat.playbook.VarScope;
import dev.moat.playbook.VarsPrompt;
import dev.moat.template.Templar;
import dev.moat.yaml.Unsafe;

/**
 * What a play needs before any host is touched, as Ansible's playbook executor settles it:
 * the {@code vars_prompt} answers (asked on the terminal, every play's before the first host is
 * reached; a variable given with {@code -e} is not asked; the default is taken on Enter and when
 * there is no terminal; without either moat refuses, exit 64, naming the variable), then
 * {@code hosts:} rendered with the play's variables and the extra ones
 * ({@code hosts: "{{ target | default('all') }}"}), and so is the play's name. A private answer becomes a secret of the run.
 */
final class PlayInputs {
    private static final String SALT_CHARS = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Object> extra;
    private final Templar templar;
    /** Null: nothing can be asked. */
    private final Terminal terminal;
    /** False for listings and --syntax-check: defaults are taken without asking, as in Ansible. */
    private final boolean ask;

    PlayInputs(Map<String, Object> extra, Templar templar, Terminal terminal, boolean ask) {
        this.extra = extra;
        this.templar = templar;
        this.terminal = terminal;
        this.ask = ask;
    }

    Playbook settle(Playbook playbook) {
        List<Play> plays = new ArrayList<>();
        for (Play p : playbook.plays()) plays.add(settle(p));
        return new Playbook(playbook.file(), plays, playbook.warnings());
    }

    private Play settle(Play p) {
        if (p.varsPrompt().isEmpty() && !Templar.isTemplate(p.hosts()) && !Templar.isTemplate(p.name())) return p;
        Map<String, Object> answers = new LinkedHashMap<>();
        for (VarsPrompt v : p.varsPrompt()) {
            if (extra.containsKey(v.name())) continue;
            Object dflt = v.defaultValue() == null ? null : render(v.defaultValue(), p, answers, v.mark() + ": vars_prompt '" + v.name() + "': default");
            answers.put(v.name(), answer(v, dflt, p));
        }
        String hosts = p.hosts();
        if (Templar.isTemplate(hosts)) {
            hosts = String.valueOf(render(hosts, p, answers, p.mark() + ": hosts"));
            if (hosts.isBlank()) throw MoatException.invalid(p.mark() + ": hosts: '" + p.hosts() + "' renders to nothing");
        }
        String name = p.name();
        if (Templar.isTemplate(name)) name = String.valueOf(render(name, p, answers, p.mark() + ": name"));
        return p.withInputs(name, hosts, answers);
    }

    private Object render(Object template, Play p, Map<String, Object> answers, String what) {
        try {
            return templar.render(template, VarScope.of(templar, Map.of(), p.withInputs(p.name(), p.hosts(), answers), extra));
        } catch (RuntimeException e) {
            throw MoatException.invalid(what + ": cannot render '" + template + "': " + e.getMessage());
        }
    }

    private Object answer(VarsPrompt v, Object dflt, Play p) {
        if (!ask) return dflt;
        if (terminal == null) {
            if (dflt != null) return finish(v, String.valueOf(dflt), false);
            throw new MoatException(ExitCode.USAGE, "play '" + (p.name() == null ? p.hosts() : p.name()) + "' (" + v.mark()
                    + ") asks for '" + v.name() + "' (vars_prompt), but moat's input is not a terminal and the prompt has no default;"
                    + " give it with -e " + v.name() + "=VALUE (or -e @file.yml)");
        }
        String msg = dflt != null ? v.prompt() + " [" + dflt + "]: " : v.prompt() + ": ";
        String typed = read(v, msg);
        if (v.confirm()) {
            String again = read(v, "confirm " + msg);
            while (!typed.equals(again)) {
                terminal.say("***** VALUES ENTERED DO NOT MATCH ****");
                typed = read(v, msg);
                again = read(v, "confirm " + msg);
            }
        }
        if (typed.isEmpty() && dflt != null) return finish(v, String.valueOf(dflt), false);
        return finish(v, typed, v.secret());
    }

    private String read(VarsPrompt v, String msg) {
        if (!v.secret()) {
            String s = terminal.readLine(msg);
            return s == null ? "" : s;
        }
        char[] c = terminal.readSecret(msg);
        if (c == null) return "";
        String s = new String(c);
        Arrays.fill(c, '\0');
        return s;
    }

    /** The answer as the play sees it: hashed if asked, a secret if typed privately, verbatim if unsafe. */
    private Object finish(VarsPrompt v, String value, boolean secret) {
        if (secret && !value.isEmpty()) templar.secrets().add(value);
        String out = value;
        if (v.encrypt() != null) {
            out = hash(v, value);
            if (secret) templar.secrets().add(out);
        }
        return v.unsafe() ? new Unsafe(out) : out;
    }

    /** {@code encrypt}: password_hash with the prompt's salt, or a random one of salt_size characters. */
    private String hash(VarsPrompt v, String value) {
        boolean bcrypt = v.encrypt().equals("bcrypt");
        String salt = v.salt();
        if (salt == null) {
            int size = v.saltSize() != null ? v.saltSize() : bcrypt ? 22 : 16;
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < size; i++) b.append(SALT_CHARS.charAt(RANDOM.nextInt(SALT_CHARS.length())));
            salt = b.toString();
        }
        Map<String, Object> vars = Map.of("__answer", value, "__salt", salt, "__scheme", v.encrypt());
        try {
            return templar.renderString("{{ __answer | password_hash(__scheme, __salt) }}", VarScope.of(templar, vars, null, Map.of()));
        } catch (RuntimeException e) {
            throw MoatException.invalid(v.mark() + ": vars_prompt '" + v.name() + "': encrypt: " + e.getMessage());
        }
    }
}
