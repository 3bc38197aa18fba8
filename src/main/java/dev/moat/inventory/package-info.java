/**
 * Ansible-compatible inventory: {@link dev.moat.inventory.InventorySources} reads every form
 * {@code ansible-inventory} reads (YAML through {@link dev.moat.inventory.InventoryLoader}, INI,
 * directories, executable scripts, host lists, several at once, with {@code group_vars/} and
 * {@code host_vars/}) into
 * an immutable {@link dev.moat.inventory.Inventory} of {@link dev.moat.inventory.Host}s and
 * {@link dev.moat.inventory.Group}s whose variables are merged in Ansible's order;
 * {@link dev.moat.inventory.HostPattern} selects hosts as Ansible's patterns do (and
 * {@code --limit}); {@link dev.moat.inventory.InventoryReport} renders {@code moat inventory --list}
 * and {@code --graph} exactly as {@code ansible-inventory} does. The tests compare all three with the
 * real Ansible when it is installed.
 *
 * <p>Exit codes: an invalid inventory, group_vars or host_vars file is 65 and names
 * file:line:column; a missing inventory file, an unknown host or group asked for by name, and a
 * host-pattern term that matches nothing are usage errors, 64. Where Ansible warns and carries on,
 * moat stops: see {@link dev.moat.inventory.InventoryLoader} and {@link dev.moat.inventory.HostPattern}.
 */
package dev.moat.inventory;
