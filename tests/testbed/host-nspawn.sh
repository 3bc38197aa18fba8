#!/bin/sh
# Runs one systemd test host (`testbed up --systemd`): the host's runner. Started by `testbed up`
# through `unshare --mount --propagation private`, so the overlay root it mounts (lower layer: the
# machine's /, upper: HOSTDIR/upper) lives only in this runner's mount namespace. Boots the overlay
# with `systemd-nspawn --boot` on the testbed bridge; when the host reboots, nspawn exits
# with 133 and the runner boots it again on the same upper layer (the host's disk survives). Any
# other exit, or HOSTDIR/stop, ends the runner. Every boot is logged to HOSTDIR/boots.
# Usage: CGROUP=NAME host-nspawn.sh NAME HOSTDIR BRIDGE MACHINE PIDFILE
set -u
: "${CGROUP:?}"
name=$1
dir=$2
bridge=$3
machine=$4
pidfile=$5
m=$dir/merged

# Each host in a cgroup of its own (in the cgroup v2 tree and systemd's v1 one): nspawn --keep-unit
# splits its own cgroup into payload/ and supervisor/, and two hosts sharing the root one collide.
for cg in $(awk '$3 == "cgroup2" || ($3 == "cgroup" && $4 ~ /name=systemd/) { print $2 }' /proc/self/mounts); do
    mkdir -p "$cg/$CGROUP" && echo $$ >"$cg/$CGROUP/cgroup.procs" || exit 1
done
mount -t overlay "$machine" -o "lowerdir=/,upperdir=$dir/upper,workdir=$dir/work" "$m" || exit 1
set --
if [ -d "$dir/docker" ]; then
    # runc makes a session keyring and attaches eBPF device filters: nspawn's seccomp filter
    # refuses those system calls unless asked.
    set -- --bind="$dir/docker:/var/lib/docker" --system-call-filter="add_key keyctl bpf"
fi
# The machine has the hybrid cgroup layout, whose v1 controllers nspawn mounts read-only: runc
# (dockerd's containers) could not make its cgroups. A pure cgroup v2 tree in the host works.
export SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1
while [ ! -e "$dir/stop" ]; do
    echo "boot $(date +%s.%N)" >>"$dir/boots"
    # --register=no --keep-unit: the machine runs no systemd that could register the container.
    # --network-bridge gives the host its own network namespace, CAP_NET_ADMIN and writable
    # /proc/sys/net (UFW, dockerd and namespaced sysctls need them); every other sysctl, and
    # kernel modules, stay out of reach: the machine's kernel is shared.
    systemd-nspawn --quiet --register=no --keep-unit --boot --directory="$m" --machine="$machine" \
        --hostname="$name" --network-bridge="$bridge" --console=read-only \
        --resolv-conf=off --timezone=off --link-journal=no "$@" &
    echo $! >"$pidfile"
    wait $!
    rc=$?
    echo "exit $rc $(date +%s.%N)" >>"$dir/boots"
    [ "$rc" = 133 ] || break
done
rm -f "$pidfile"
