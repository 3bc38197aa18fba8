# Evaluates host patterns with Ansible's own InventoryManager, for HostPatternAnsibleComparisonTest.
# usage: python3 ansible_patterns.py INVENTORY < cases.json   (cases: [[pattern, limit-or-null], ...])
# prints one JSON list of host-name lists, or {"error": msg} per case.
import json
import sys

from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader

inventory = InventoryManager(loader=DataLoader(), sources=[sys.argv[1]])
out = []
for pattern, limit in json.load(sys.stdin):
    inventory.subset(limit)
    inventory.clear_pattern_cache()
    try:
        out.append([h.name for h in inventory.get_hosts(pattern)])
    except Exception as e:  # noqa: BLE001 - report, the test decides
        out.append({"error": str(e)})
print(json.dumps(out))
