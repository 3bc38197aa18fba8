#!/usr/bin/python3
"""Records ansible.builtin.cron's answers (changed, diff, jobs, envs, the crontab after) on testbed host h2."""
import json, subprocess, sys
INV = "/tmp/tbsys-testbed/inventory.yml"
SSH = ["ssh", "-i", "/tmp/tbsys-testbed/id_ed25519", "-o", "UserKnownHostsFile=/tmp/tbsys-testbed/known_hosts", "root@10.82.0.12"]
def sh(cmd):
    return subprocess.run(SSH + [cmd], capture_output=True, text=True).stdout
def put_user(user, content):
    if content is None:
        sh("crontab -u %s -r 2>/dev/null; true" % user)
    else:
        subprocess.run(SSH + ["crontab -u %s -" % user], input=content, text=True, check=True)
def put_file(path, content):
    if content is None:
        sh("rm -f %s" % path)
    else:
        subprocess.run(SSH + ["cat > %s" % path], input=content, text=True, check=True)
cases = [
 ("user-new", {"name": "clean", "minute": "0", "hour": "3", "job": "/usr/bin/true"}, "root", None),
 ("user-same", {"name": "clean", "minute": "0", "hour": "3", "job": "/usr/bin/true"}, "root", "#Ansible: clean\n0 3 * * * /usr/bin/true\n"),
 ("user-update", {"name": "clean", "minute": "5", "hour": "3", "job": "/usr/bin/true"}, "root", "MAILTO=x\n#Ansible: clean\n0 3 * * * /usr/bin/true\n# other\n"),
 ("user-adopt", {"name": "clean", "minute": "0", "hour": "3", "job": "/usr/bin/true"}, "root", "# mine\n0 3 * * * /usr/bin/true\n"),
 ("user-absent", {"name": "clean", "state": "absent"}, "root", "A=1\n#Ansible: clean\n0 3 * * * /usr/bin/true\n#Ansible: other\n@daily x\n"),
 ("user-absent-none", {"name": "clean", "state": "absent"}, "root", "A=1\n"),
 ("file-no-newline", {"name": "clean", "cron_file": "moat-gpu", "state": "absent"}, "file", "A=1"),
 ("env-add", {"name": "PATH", "env": True, "job": "/usr/bin:/bin"}, "root", "#Ansible: clean\n0 3 * * * /usr/bin/true\n"),
 ("env-update", {"name": "PATH", "env": True, "job": "/usr/bin:/bin"}, "root", "PATH=/bin\nX=1\nPATH=/sbin\n"),
 ("env-insertafter", {"name": "B", "env": True, "job": "2", "insertafter": "A"}, "root", "A=1\nC=3\n"),
 ("env-absent", {"name": "A", "env": True, "state": "absent"}, "root", "A=1\nC=3\n"),
 ("other-user", {"name": "ops job", "special_time": "reboot", "job": "echo hi", "user": "deploy", "disabled": True}, "deploy", None),
 ("file-new", {"name": "gpu", "cron_file": "moat-gpu", "user": "root", "minute": "*/5", "job": "nvidia-smi > /dev/null"}, "file", None),
 ("file-same", {"name": "gpu", "cron_file": "moat-gpu", "user": "root", "minute": "*/5", "job": "nvidia-smi > /dev/null"}, "file", "#Ansible: gpu\n*/5 * * * * root nvidia-smi > /dev/null\n"),
 ("file-absent-last", {"name": "gpu", "cron_file": "moat-gpu", "state": "absent"}, "file", "#Ansible: gpu\n*/5 * * * * root nvidia-smi > /dev/null\n"),
 ("file-absent-keeps", {"name": "gpu", "cron_file": "moat-gpu", "state": "absent"}, "file", "SHELL=/bin/sh\n#Ansible: gpu\n*/5 * * * * root x\n"),
 ("file-dangling-marker", {"name": "gpu", "cron_file": "moat-gpu", "user": "root", "job": "y"}, "file", "#Ansible: gpu\n"),
]
out = {}
for name, args, where, before in cases:
    path = "/etc/cron.d/moat-gpu"
    if where == "file":
        put_file(path, before)
    else:
        put_user(where, before)
    a = json.dumps(args)
    r = subprocess.run(["ansible", "h2", "-i", INV, "-m", "ansible.builtin.cron", "-a", a, "--diff"], capture_output=True, text=True,
                       env={"ANSIBLE_LOAD_CALLBACK_PLUGINS": "1", "ANSIBLE_STDOUT_CALLBACK": "json", "PATH": "/usr/bin:/bin"})
    res = json.loads(r.stdout)["plays"][0]["tasks"][0]["hosts"]["h2"]
    if where == "file":
        after = sh("cat %s 2>/dev/null || echo '<absent>'" % path)
        put_file(path, None)
    else:
        after = sh("crontab -u %s -l 2>/dev/null" % where)
        put_user(where, None)
    out[name] = {"args": args, "crontab": where, "before": before, "changed": res.get("changed"), "failed": res.get("failed", False),
                 "msg": res.get("msg"), "diff": res.get("diff"), "jobs": res.get("jobs"), "envs": res.get("envs"), "after": after}
json.dump(out, sys.stdout, indent=1, sort_keys=True)
