#!/bin/sh
# Records `ansible-inventory --list` for each case of cases.txt (NAME, TAB, the -i sources
# separated by spaces) as NAME.json; run where Debian's ansible is installed, CI only reads them.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
: > "$tmp/ansible.cfg"
while IFS='	' read -r name sources; do
  set --
  for s in $sources; do set -- "$@" -i "$s"; done
  (cd "$here" && env -i PATH="$PATH" HOME="$tmp" ANSIBLE_CONFIG="$tmp/ansible.cfg" ANSIBLE_HOME="$tmp/a" \
     ANSIBLE_LOCAL_TEMP="$tmp/t" LC_ALL=C.UTF-8 ansible-inventory "$@" --list) > "$here/$name.json"
done < "$here/cases.txt"
rm -rf "$tmp"
