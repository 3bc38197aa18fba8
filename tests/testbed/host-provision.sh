#!/bin/sh
# Runs once inside a freshly booted test host (fed on stdin to `sh -s` by `testbed up`).
# Creates the users `deploy` (passwordless sudo) and `ops` (sudo asks for a password, given in
# $OPS_PASSWORD), points apt at the testbed's local repository only, and purges the packages
# named in $PURGE so that installing them later is a real install.
set -eu
export DEBIAN_FRONTEND=noninteractive

for u in deploy ops; do
    id "$u" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$u"
    install -d -m 0700 -o "$u" -g "$u" "/home/$u/.ssh"
    install -m 0600 -o "$u" -g "$u" /root/.ssh/authorized_keys "/home/$u/.ssh/authorized_keys"
done
usermod -p '*' deploy
printf 'ops:%s\n' "$OPS_PASSWORD" | chpasswd
printf 'deploy ALL=(ALL:ALL) NOPASSWD: ALL\n' >/etc/sudoers.d/moat-testbed-deploy
printf 'ops ALL=(ALL:ALL) ALL\n' >/etc/sudoers.d/moat-testbed-ops
chmod 0440 /etc/sudoers.d/moat-testbed-deploy /etc/sudoers.d/moat-testbed-ops

# apt: the local repository and nothing else (sources.list itself was written before boot).
rm -f /etc/apt/sources.list.d/*
rm -rf /var/lib/apt/lists/*
apt-get -qq update >/var/log/moat-testbed-apt.log 2>&1 || {
    cat /var/log/moat-testbed-apt.log >&2
    exit 1
}
if [ -n "${PURGE:-}" ]; then
    # shellcheck disable=SC2086
    apt-get -y -qq purge $PURGE >>/var/log/moat-testbed-apt.log 2>&1 || {
        cat /var/log/moat-testbed-apt.log >&2
        exit 1
    }
fi
