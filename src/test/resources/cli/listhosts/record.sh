#!/bin/sh
# Records ansible-playbook --list-hosts (stdout, then stderr's warnings) on site.yml and hosts,
# with and without --limit w1; run from this directory where Debian's ansible is installed.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d); : > "$tmp/ansible.cfg"
export ANSIBLE_CONFIG="$tmp/ansible.cfg" ANSIBLE_HOME="$tmp/a" ANSIBLE_LOCAL_TEMP="$tmp/t" ANSIBLE_NOCOLOR=1
ansible-playbook -i hosts site.yml --list-hosts > expected.txt 2> expected-warnings.txt
ansible-playbook -i hosts site.yml --list-hosts --limit w1 > expected-limit.txt 2>/dev/null
rm -rf "$tmp"
