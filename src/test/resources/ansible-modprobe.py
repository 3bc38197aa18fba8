import json, os, sys, tempfile, importlib.util, io, contextlib
from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes
spec = importlib.util.spec_from_file_location("modprobe", "/usr/lib/python3/dist-packages/ansible_collections/community/general/plugins/modules/modprobe.py")
mp = importlib.util.module_from_spec(spec); spec.loader.exec_module(mp)
cases = {
 "fresh": ({"name": "dummy", "persistent": "present"}, {}),
 "fresh-params": ({"name": "dummy", "persistent": "present", "params": "numdummies=2 x=y"}, {}),
 "old-params-commented": ({"name": "dummy", "persistent": "present", "params": "numdummies=2"}, {"modprobe.d/other.conf": "# keep\noptions dummy numdummies=1\nblacklist foo\n", "modules-load.d/modules.conf": "loop\ndummy # wanted\n"}),
 "already": ({"name": "dummy", "persistent": "present", "params": "numdummies=1"}, {"modprobe.d/dummy.conf": "options dummy numdummies=1 ; c\n", "modules-load.d/modules.conf": "  dummy\n"}),
 "params-cleared": ({"name": "dummy", "persistent": "present"}, {"modprobe.d/dummy.conf": "options dummy numdummies=1", "modules-load.d/dummy.conf": "dummy\n"}),
 "absent": ({"name": "dummy", "persistent": "absent"}, {"modprobe.d/dummy.conf": "options dummy numdummies=1\n", "modules-load.d/modules.conf": "loop\ndummy\nloop2\n"}),
 "absent-none": ({"name": "dummy", "persistent": "absent"}, {"modules-load.d/modules.conf": "#dummy\ndummyx\n"}),
 "disabled": ({"name": "dummy"}, {}),
 "other-module-options": ({"name": "dummy", "persistent": "present", "params": "a=1"}, {"modprobe.d/x.conf": "options dummy2 a=1\noptions dummy a=1 b\n", "modules-load.d/m.conf": "dummy2\n"}),
}
out = {}
for name, (args, files) in cases.items():
    root = tempfile.mkdtemp()
    for d in ("modules-load.d", "modprobe.d"):
        os.mkdir(os.path.join(root, d))
    for rel, c in files.items():
        open(os.path.join(root, rel), "w").write(c)
    mp.MODULES_LOAD_LOCATION = os.path.join(root, "modules-load.d")
    mp.PARAMETERS_FILES_LOCATION = os.path.join(root, "modprobe.d")
    mp.Modprobe.module_loaded = lambda self: True
    basic.AnsibleModule.get_bin_path = lambda self, *a, **k: "/bin/true"
    basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            mp.main()
    except SystemExit:
        pass
    res = json.loads(buf.getvalue())
    after = {}
    for d in ("modules-load.d", "modprobe.d"):
        for f in sorted(os.listdir(os.path.join(root, d))):
            after[d + "/" + f] = open(os.path.join(root, d, f)).read()
    out[name] = {"args": args, "before": files, "after": after, "changed": res["changed"]}
json.dump(out, sys.stdout, indent=1, sort_keys=True)
