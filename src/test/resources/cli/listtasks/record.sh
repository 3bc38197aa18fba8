#!/bin/sh
# Records ansible-playbook --list-tasks and --list-tags (with and without --tags/--skip-tags) on
# site.yml and hosts; run from this directory where Debian's ansible is installed.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d); : > "$tmp/ansible.cfg"
export ANSIBLE_CONFIG="$tmp/ansible.cfg" ANSIBLE_HOME="$tmp/a" ANSIBLE_LOCAL_TEMP="$tmp/t" ANSIBLE_NOCOLOR=1 ANSIBLE_ROLES_PATH=roles
ansible-playbook -i hosts site.yml --list-tasks > list-tasks.txt
ansible-playbook -i hosts site.yml --list-tags > list-tags.txt
ansible-playbook -i hosts site.yml --list-tasks --tags packages,db > list-tasks-tags.txt
ansible-playbook -i hosts site.yml --list-tasks --skip-tags play1 > list-tasks-skip.txt
ansible-playbook -i hosts site.yml --list-tasks --list-tags --list-hosts > list-all.txt
rm -rf "$tmp"
