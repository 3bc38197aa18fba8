s() { printf '\n@@%s\n' "$1"; }
f() { [ -r "$1" ] && cat "$1" 2>/dev/null; }
s os-release; f /etc/os-release || f /usr/lib/os-release
s debian_version; f /etc/debian_version
s lsb_release; command -v lsb_release >/dev/null 2>&1 && lsb_release -a 2>/dev/null
s lsb-release; f /etc/lsb-release
s uname; uname -s; uname -r; uname -v; uname -m; uname -n
s fqdn; a=$(getent ahosts "$(uname -n)" 2>/dev/null | awk 'NR==1{print $1}'); [ -n "$a" ] && getent hosts "$a"
s machine-id; f /var/lib/dbus/machine-id || f /etc/machine-id
s cpuinfo; f /proc/cpuinfo
s nproc; nproc 2>/dev/null
s meminfo; f /proc/meminfo
s uptime; f /proc/uptime
s mounts; f /proc/mounts
s binds; findmnt --list --noheadings --notruncate 2>/dev/null
s statfs; awk '$1 ~ /^\// || $1 ~ /:\// {print $2}' /proc/mounts 2>/dev/null | while IFS= read -r m; do stat -f -c '%S %s %b %a %c %d %n' "$(printf '%b' "$m")" 2>/dev/null; done
s route4; ip -4 route get 8.8.8.8 2>/dev/null
s route6; ip -6 route get 2404:6800:400a:800::1012 2>/dev/null
for d in $(ls -U /sys/class/net 2>/dev/null); do
  p=/sys/class/net/$d; [ -d "$p" ] || continue
  s "iface $d"
  for a in address mtu operstate type flags speed; do v=; [ -e "$p/$a" ] && { read -r v <"$p/$a"; } 2>/dev/null; [ -e "$p/$a" ] && printf '%s=%s\n' "$a" "$v"; done
  [ -e "$p/device/driver/module" ] && v=$(readlink -f "$p/device/driver/module") && printf 'module=%s\n' "${v##*/}"
  [ -e "$p/device" ] && v=$(readlink "$p/device") && printf 'pciid=%s\n' "${v##*/}"
  if [ -e "$p/bridge" ]; then
    v=; w=; { read -r v <"$p/bridge/bridge_id"; read -r w <"$p/bridge/stp_state"; } 2>/dev/null
    printf 'bridge_id=%s\nstp_state=%s\nbrif=%s\n' "$v" "$w" "$(ls -U "$p/brif" 2>/dev/null | tr '\n' ' ')"
  fi
done
s ip-primary; ip addr show primary 2>/dev/null || ip addr show 2>/dev/null
s ip-secondary; ip addr show secondary 2>/dev/null
s user; id -un; id -u; id -g; getent passwd "$(id -un)"
s env; env
s python; for p in /usr/bin/python3 /usr/libexec/platform-python "$(command -v python3)"; do [ -x "$p" ] && printf '%s\n' "$p" && "$p" --version 2>&1 && break; done
s date; date '+%Y %m %d %H %M %S %A %w %W %Z %z %s %N'; date -u '+%Y-%m-%dT%H:%M:%SZ %Y%m%dT%H%M%S'
s proc1; f /proc/1/comm; [ -L /sbin/init ] && printf 'init=%s\n' "$(readlink /sbin/init)"
s paths; for x in /run/systemd/system /dev/.run/systemd /dev/.systemd /sbin/openrc /etc/init.d /etc/init /run/ostree-booted /.dockerenv /.dockerinit /proc/vz /proc/bc /proc/lve /proc/xen /sys/kernel/security/apparmor /sys/fs/selinux/enforce \
  /usr/bin/rpm-ostree /usr/bin/yum /usr/bin/dnf /usr/bin/apt-get /usr/bin/zypper /usr/sbin/urpmi /usr/bin/pacman /bin/opkg /sbin/apk /usr/bin/emerge /usr/bin/xbps-install /usr/bin/swupd /usr/sbin/sorcery; do [ -e "$x" ] && echo "$x"; done
command -v initctl >/dev/null 2>&1 && echo initctl
s cgroup; f /proc/1/cgroup
s environ1; { tr '\0' '\n' </proc/1/environ; } 2>/dev/null
s container; f /run/systemd/container
s dmi; for a in product_name sys_vendor bios_vendor; do printf '%s=%s\n' "$a" "$(cat /sys/devices/virtual/dmi/id/$a 2>/dev/null)"; done
s selinux; f /sys/fs/selinux/enforce; f /sys/fs/selinux/policyvers; f /etc/selinux/config
true
