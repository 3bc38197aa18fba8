package dev.moat.playbook;

import dev.moat.yaml.Mark;

/**
 * One entry of a play's {@code vars_prompt}: a variable the user is asked for on the terminal
 * before any host is touched (the answer becomes a play variable, as in Ansible); not asked when
 * an extra variable ({@code -e}) gives it.
 *
 * <pre>
 * vars_prompt:
 *   - name: admin_password
 *     prompt: Password for the admin user
 *     private: true          # no echo; the answer is a secret of the run (default true)
 *     confirm: true          # asked twice
 *     encrypt: sha512_crypt  # hashed (sha512_crypt, sha256_crypt, bcrypt), with salt or a random one
 *   - name: release
 *     default: stable        # taken on Enter, and without a terminal
 *     private: false
 * </pre>
 *
 * @param prompt       the question (Ansible's default: the name)
 * @param defaultValue null when none; may hold a template, rendered with the play's variables
 * @param secret       {@code private}
 * @param encrypt      null, or the hash scheme the answer is turned into
 * @param salt         null: a random salt of {@code saltSize} characters
 * @param saltSize     null: the scheme's usual size
 * @param unsafe       the answer is never rendered as a template
 */
public record VarsPrompt(String name, String prompt, Object defaultValue, boolean secret, boolean confirm,
                         String encrypt, String salt, Integer saltSize, boolean unsafe, Mark mark) {
    public VarsPrompt {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a vars_prompt entry needs a name");
        if (prompt == null || prompt.isEmpty()) prompt = name;
    }
}
