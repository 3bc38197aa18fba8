#!/bin/sh
# Installed into each test host as /usr/local/sbin/moat-testbed-init; tini (PID 1) runs it.
# Starts dockerd when the host was made with --docker, then keeps one sshd running:
# `kill -HUP` reloads sshd in place; if sshd exits (killed, `/etc/init.d/ssh restart`, a
# config test gone wrong) a new one is started, unless another live sshd owns /run/sshd.pid.
# Killing PID 1 of the host ends everything in it.
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
mkdir -p /run/sshd /var/log
chmod 0755 /run/sshd

if [ -f /etc/moat-testbed/docker ]; then
    dockerd --storage-driver=vfs --cgroup-parent="$(cat /etc/moat-testbed/cgroup-parent)" \
        --log-level=warn >>/var/log/dockerd.log 2>&1 &
fi

while :; do
    if [ -s /run/sshd.pid ] && kill -0 "$(cat /run/sshd.pid)" 2>/dev/null; then
        sleep 1
        continue
    fi
    /usr/sbin/sshd -D -e >>/var/log/sshd.log 2>&1
    sleep 0.5
done
