#!/bin/sh
# Records which tasks ansible-playbook runs with --start-at-task (the TASK lines of its output),
# for names, a glob, a 'role : name' and a name matching nothing; run where Debian's ansible is installed.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d); : > "$tmp/ansible.cfg"
export ANSIBLE_CONFIG="$tmp/ansible.cfg" ANSIBLE_HOME="$tmp/a" ANSIBLE_LOCAL_TEMP="$tmp/t" ANSIBLE_NOCOLOR=1 ANSIBLE_ROLES_PATH=roles
for start in 'role second' 'r : role s*' 'in block b' 'always c' 'th?ee' 'nothing here'; do
  echo "== $start"
  rc=0; ansible-playbook -i localhost, -c local site.yml --start-at-task "$start" > "$tmp/out" 2>&1 || rc=$?
  sed -n 's/^\(TASK\|PLAY\) \[\(.*\)\] \**$/\1 \2/p; s/^ *\[ERROR\]: \(.*\)/ERROR \1/p' "$tmp/out"
  echo "exit $rc"
done > expected.txt
rm -rf "$tmp"
