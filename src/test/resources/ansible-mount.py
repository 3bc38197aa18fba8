#!/usr/bin/python3
"""Records ansible.posix.mount's fstab edits: its own main() with state present or absent_from_fstab
(fstab edits only, nothing is mounted) on scratch fstab files in a temp dir."""
import json, os, sys, tempfile, importlib.util, io, contextlib
from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes
spec = importlib.util.spec_from_file_location("mount", "/usr/lib/python3/dist-packages/ansible_collections/ansible/posix/plugins/modules/mount.py")
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
BASE = "# /etc/fstab: static file system information.\n#\nUUID=abcd /               ext4    errors=remount-ro 0       1\n"
T = {"src": "tmpfs", "fstype": "tmpfs", "path": "/mnt/moat-tmp", "state": "present"}
cases = {
 "append": (T, BASE),
 "same": (T, BASE + "tmpfs /mnt/moat-tmp tmpfs defaults 0 0\n"),
 "same-tabs-kept": (T, BASE + "tmpfs\t/mnt/moat-tmp\ttmpfs\tdefaults\t0\t0\n"),
 "four-fields-rewritten": (T, BASE + "tmpfs   /mnt/moat-tmp tmpfs defaults\n"),
 "opts-changed": (dict(T, opts="size=64m,mode=1777"), BASE + "tmpfs /mnt/moat-tmp tmpfs defaults 0 0 # note\n"),
 "boot-false": (dict(T, boot=False), BASE),
 "boot-false-noauto-given": (dict(T, boot=False, opts="noauto"), BASE),
 "dump-passno": (dict(T, dump="1", passno="2"), BASE),
 "space-escaped": (dict(T, path="/mnt/a b&c", src="//srv/share x"), BASE),
 "escaped-same": (dict(T, path="/mnt/a b"), BASE + "tmpfs /mnt/a\\040b tmpfs defaults 0 0\n"),
 "no-final-newline": (T, "UUID=abcd / ext4 defaults 0 1"),
 "missing-file": (T, None),
 "swap-other-src": ({"src": "/dev/sdb", "fstype": "swap", "path": "none", "state": "present"}, "/dev/sda none swap sw 0 0\n"),
 "swap-same-src": ({"src": "/dev/sda", "fstype": "swap", "path": "none", "state": "present", "opts": "sw"}, "/dev/sda none swap sw 0 0\n"),
 "seven-fields-kept": (T, "tmpfs /mnt/moat-tmp tmpfs defaults 0 0 extra\n"),
 "absent-removes": ({"path": "/mnt/moat-tmp", "state": "absent_from_fstab"}, BASE + "tmpfs /mnt/moat-tmp tmpfs defaults 0 0\n# end\n"),
 "absent-none": ({"path": "/mnt/moat-tmp", "state": "absent_from_fstab"}, BASE),
 "absent-four-fields-kept": ({"path": "/mnt/moat-tmp", "state": "absent_from_fstab"}, "tmpfs /mnt/moat-tmp tmpfs defaults\n"),
 "absent-swap-src": ({"path": "none", "src": "/dev/sdb", "state": "absent_from_fstab"}, "/dev/sda none swap sw 0 0\n/dev/sdb none swap sw 0 0\n"),
}
out = {}
for name, (args, before) in cases.items():
    d = tempfile.mkdtemp()
    fstab = os.path.join(d, "fstab")
    if before is not None:
        open(fstab, "w").write(before)
    a = dict(args, fstab=fstab)
    basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": a}))
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            m.main()
    except SystemExit:
        pass
    res = json.loads(buf.getvalue())
    after = open(fstab).read() if os.path.exists(fstab) else None
    out[name] = {"args": args, "before": before, "after": after, "changed": res.get("changed"), "failed": res.get("failed", False),
                 "msg": res.get("msg"), "opts": res.get("opts")}
json.dump(out, sys.stdout, indent=1, sort_keys=True)
