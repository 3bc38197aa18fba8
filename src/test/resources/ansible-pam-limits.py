#!/usr/bin/python3
"""Records community.general.pam_limits's answers: its own main() run on scratch files (dest in a temp dir)."""
import json, os, sys, tempfile, importlib.util, io, contextlib
from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes
spec = importlib.util.spec_from_file_location("pam_limits", "/usr/lib/python3/dist-packages/ansible_collections/community/general/plugins/modules/pam_limits.py")
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
BASE = "# /etc/security/limits.conf\n#\n#<domain>      <type>  <item>         <value>\n\n"
cases = {
 "append": ({"domain": "*", "limit_type": "-", "limit_item": "memlock", "value": "unlimited"}, BASE),
 "same": ({"domain": "*", "limit_type": "-", "limit_item": "memlock", "value": "unlimited"}, BASE + "*  -   memlock   unlimited\n"),
 "update-keeps-comment": ({"domain": "@gpu", "limit_type": "soft", "limit_item": "nofile", "value": "65536"}, BASE + "@gpu soft nofile 1024 # old note\n"),
 "update-new-comment": ({"domain": "@gpu", "limit_type": "soft", "limit_item": "nofile", "value": "65536", "comment": "moat"}, BASE + "@gpu soft nofile 1024 # old note\n"),
 "comment-carried": ({"domain": "ops", "limit_type": "hard", "limit_item": "nproc", "value": "100"}, BASE + "* soft core 0 # no cores\n"),
 "use-max-keeps": ({"domain": "ops", "limit_type": "hard", "limit_item": "nofile", "value": "100", "use_max": True}, "ops hard nofile 200\n"),
 "use-max-raises": ({"domain": "ops", "limit_type": "hard", "limit_item": "nofile", "value": "300", "use_max": True}, "ops hard nofile 200\n"),
 "use-min-unlimited": ({"domain": "ops", "limit_type": "hard", "limit_item": "nofile", "value": "300", "use_min": True}, "ops hard nofile unlimited\n"),
 "no-final-newline": ({"domain": "ops", "limit_type": "-", "limit_item": "nice", "value": "-5"}, "ops - core 0"),
 "missing-file": ({"domain": "ops", "limit_type": "-", "limit_item": "nice", "value": "-5"}, None),
 "bad-existing": ({"domain": "ops", "limit_type": "-", "limit_item": "core", "value": "0"}, "x soft nofile lots\n"),
 "five-fields-kept": ({"domain": "ops", "limit_type": "-", "limit_item": "core", "value": "0"}, "ops - core 1 extra\n"),
}
out = {}
for name, (args, before) in cases.items():
    d = tempfile.mkdtemp()
    dest = os.path.join(d, "limits.conf")
    if before is not None:
        open(dest, "w").write(before)
    a = dict(args, dest=dest)
    basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": a}))
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            m.main()
    except SystemExit:
        pass
    res = json.loads(buf.getvalue())
    after = open(dest).read() if os.path.exists(dest) else None
    out[name] = {"args": args, "before": before, "after": after, "changed": res.get("changed"), "failed": res.get("failed", False),
                 "msg": res.get("msg"), "diff": res.get("diff")}
json.dump(out, sys.stdout, indent=1, sort_keys=True)
