/**
 * ansible.cfg, found and read as Ansible 2.14 finds and reads it, for the settings moat uses:
 * {@link dev.moat.config.AnsibleConfig} resolves each {@link dev.moat.config.ConfigKey} from the
 * command line, the {@code ANSIBLE_*} environment variables, the one cfg file, or the default, and
 * remembers where each came from ({@code moat config} prints them as {@code ansible-config dump
 * --only-changed} does). A malformed cfg file is exit 65 and names file:line.
 */
package dev.moat.config;
