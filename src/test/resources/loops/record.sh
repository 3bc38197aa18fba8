#!/bin/sh
# Records Ansible's answers for the playbooks here (needs Debian's ansible 2.14; CI has none):
# for each PLAYBOOK.yml, PLAYBOOK.expected holds "task name<TAB>msg as JSON" for every named debug task.
# Usage: record.sh [--check] PLAYBOOK...
set -e
cd "$(dirname "$0")"
check=
if [ "$1" = --check ]; then check=--check; shift; fi
for pb in "$@"; do
  ANSIBLE_STDOUT_CALLBACK=json ansible-playbook $check -i localhost, -c local "$pb" > "/tmp/record-$$.json" 2>/dev/null || true
  python3 - "/tmp/record-$$.json" > "${pb%.yml}.expected" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
d = json.loads(text[text.index('{\n'):])  # pause prints before the JSON
for play in d['plays']:
    for t in play['tasks']:
        r = t['hosts']['localhost']
        if t['task']['name'] and r.get('action') == 'debug' and 'msg' in r and 'results' not in r:
            print(t['task']['name'] + '\t' + json.dumps(r['msg']))
PY
  rm -f "/tmp/record-$$.json"
done
