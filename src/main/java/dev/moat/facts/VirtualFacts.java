package dev.moat.facts;

import java.util.List;
import java.util.Map;

/**
 * Ansible's Linux virtualization type and role, its container checks in its order (PID 1's
 * cgroups and environment, OpenVZ, systemd's container file, /.dockerenv) and then its DMI
 * checks for the common hypervisors. Not ported: the Xen, VirtualBox-by-module, LXC-by-vxid and
 * host-side (KVM host, Xen dom0) checks; what none of the ported checks finds is {@code NA}.
 */
final class VirtualFacts {
    private VirtualFacts() {}

    static void parse(Map<String, String> s, List<String> paths, Map<String, Object> f) {
        String type = container(s, paths);
        String role = type == null ? null : "guest";
        if (type == null) {
            Map<String, String> dmi = HostFactsParser.keyValues(s.getOrDefault("dmi", ""), '=');
            type = hypervisor(dmi.getOrDefault("product_name", ""), dmi.getOrDefault("sys_vendor", ""), dmi.getOrDefault("bios_vendor", ""));
            role = type == null ? null : "guest";
        }
        f.put("virtualization_type", type == null ? "NA" : type);
        f.put("virtualization_role", role == null ? "NA" : role);
    }

    private static String container(Map<String, String> s, List<String> paths) {
        for (String line : s.getOrDefault("cgroup", "").split("\n")) {
            if (line.matches(".*/docker(/|-[0-9a-f]+\\.scope).*")) return "docker";
            if (line.contains("/lxc/") || line.contains("/machine.slice/machine-lxc")) return "lxc";
            if (line.contains("/system.slice/containerd.service")) return "containerd";
        }
        for (String line : s.getOrDefault("environ1", "").split("\n")) {
            if (line.contains("container=lxc")) return "lxc";
            if (line.contains("container=podman")) return "podman";
            if (line.matches("^container=..*")) return "container";
        }
        if (paths.contains("/proc/vz") && !paths.contains("/proc/lve")) return "openvz";
        String systemd = s.getOrDefault("container", "").strip();
        if (!systemd.isEmpty()) return systemd;
        if (paths.contains("/.dockerenv") || paths.contains("/.dockerinit")) return "docker";
        return null;
    }

    private static String hypervisor(String product, String vendor, String bios) {
        if (product.matches("KVM|KVM Server|Bochs|AHV") || vendor.equals("QEMU") || bios.equals("QEMU")) return "kvm";
        if (product.startsWith("OpenStack") || product.equals("RHEV Hypervisor") || product.startsWith("RHV")) return "openstack";
        if (product.startsWith("VMware") || vendor.startsWith("VMware")) return "VMware";
        if (product.equals("VirtualBox") || vendor.equals("innotek GmbH")) return "virtualbox";
        if (product.startsWith("HVM domU") || bios.equals("Xen") || vendor.equals("Xen")) return "xen";
        if (vendor.equals("Microsoft Corporation") && product.equals("Virtual Machine")) return "VirtualPC";
        if (bios.equals("Amazon EC2") || vendor.equals("Amazon EC2")) return "kvm";
        if (vendor.equals("Google")) return "kvm";
        return null;
    }
}
