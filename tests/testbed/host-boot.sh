#!/bin/sh
# Boots one test host. Runs as PID 1 of fresh mount/pid/uts namespaces inside the host's
# network namespace (started by `testbed up` through `ip netns exec ... unshare ...`).
# Mounts the host's overlay root (lower layer: the machine's /), the kernel file systems and
# private tmpfs on /run and /tmp, then hands over to tini inside the chroot; tini runs
# /usr/local/sbin/moat-testbed-init (sshd supervisor, optional dockerd).
# Usage: host-boot.sh NAME HOSTDIR
set -eu
name=$1
dir=$2
m=$dir/merged

mount -t overlay "moat-$name" -o "lowerdir=/,upperdir=$dir/upper,workdir=$dir/work" "$m"
mount --rbind /dev "$m/dev"
mount -t proc proc "$m/proc"
mount -t sysfs sysfs "$m/sys"
mount -t cgroup2 cgroup2 "$m/sys/fs/cgroup" 2>/dev/null || true
mount -t tmpfs -o mode=0755 tmpfs "$m/run"
mount -t tmpfs -o mode=1777 tmpfs "$m/tmp"
if [ -d "$dir/docker" ]; then
    mkdir -p "$m/var/lib/docker"
    mount --bind "$dir/docker" "$m/var/lib/docker"
fi
hostname "$name"
exec chroot "$m" /usr/bin/tini -- /bin/sh /usr/local/sbin/moat-testbed-init
