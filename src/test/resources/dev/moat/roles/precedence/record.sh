#!/bin/sh
# Records what Ansible (Debian's ansible 2.14) prints for site.yml, as "task => msg" lines, into
# ansible-output.txt, which PrecedenceTest compares moat's run with. Run from this directory.
here=$(cd "$(dirname "$0")" && pwd)
ANSIBLE_STDOUT_CALLBACK=json ANSIBLE_ROLES_PATH="$here/roles" ANSIBLE_COLLECTIONS_PATH="$here/collections" \
  ansible-playbook -i "$here/inventory.yml" "$here/site.yml" -e v_extra=extra | python3 -c '
import json, sys
for p in json.load(sys.stdin)["plays"]:
    for t in p["tasks"]:
        r = t["hosts"].get("localhost", {})
        if t["task"]["name"] and "msg" in r and not t["task"]["name"].split(" : ")[-1].startswith(("include_", "set_fact")):
            print(t["task"]["name"].split(" : ")[-1], "=>", r["msg"])
' > "$here/ansible-output.txt"
