#!/bin/sh
# Records what ansible-playbook makes of vars_prompt without a terminal (defaults, templated;
# a value given with -e is not asked; encrypt with a salt) and of a templated hosts: (rendered with
# extra vars; a pattern matching nothing warns and skips the play); run where Debian's ansible is installed.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d); : > "$tmp/ansible.cfg"
export ANSIBLE_CONFIG="$tmp/ansible.cfg" ANSIBLE_HOME="$tmp/a" ANSIBLE_LOCAL_TEMP="$tmp/t" ANSIBLE_NOCOLOR=1
ansible-playbook -i localhost, -c local site.yml -e given=fromcli < /dev/null 2>&1 | sed -n 's/^ *"msg": "\(.*\)"$/\1/p; s/^\(PLAY \[[^]]*\]\).*/\1/p' > expected.txt
ansible-playbook -i localhost, -c local site.yml -e given=x -e target=nohost < /dev/null > "$tmp/out" 2>&1 || true
sed -n 's/^\(PLAY \[[^]]*\]\).*/\1/p; /WARNING/p; /skipping: no hosts matched/p' "$tmp/out" > expected-nohost.txt
ansible-playbook -i localhost, site.yml -e given=x -e target=localhost -e play_title=Listed --list-hosts < /dev/null > expected-list.txt 2>/dev/null
rm -rf "$tmp"
