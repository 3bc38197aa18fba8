#!/bin/sh
# An inventory script with _meta: moat must not call --host.
if [ "$1" = "--host" ]; then echo "--host must not be called" >&2; exit 7; fi
cat <<'JSON'
{
  "gpu": {"hosts": ["g1", "g2"], "vars": {"ansible_user": "ops", "n": 3}, "children": ["eu"]},
  "eu": ["e1"],
  "solo": {"x": 1},
  "_meta": {"hostvars": {"g1": {"ansible_port": 2222, "nested": {"a": [1, 2.5, null, true]}}, "e1": {}}}
}
JSON
