#!/bin/sh
# Records ansible-playbook 2.14's answers: "task => msg" per debug task, as RolesRunTest compares.
cd "$(dirname "$0")" && ANSIBLE_STDOUT_CALLBACK=json ansible-playbook -i inventory.yml site.yml \
  | python3 -c 'import json,sys; d=json.load(sys.stdin)
for t in d["plays"][0]["tasks"]:
    r=t["hosts"]["localhost"]
    if "msg" in r and t["task"]["name"] and not t["task"]["name"].startswith(("include_role","import_role")): print(t["task"]["name"]+" => "+str(r["msg"]))' > ansible-output.txt
