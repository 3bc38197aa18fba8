# Records Ansible's distribution facts for os-release files under ROOT/etc (see README.md).
import sys, os, json
root = os.path.abspath(sys.argv[1])
from ansible.module_utils import distro as d
import ansible.module_utils.distro as dm
inst = dm.LinuxDistribution(include_lsb=False, include_uname=False, include_oslevel=False, root_dir=root)
dm._distro = inst
sys.modules[dm.version.__module__]._distro = inst
from ansible.module_utils.facts.system import distribution as dist
import ansible.module_utils.facts.utils as u
real_exists = os.path.exists
def remap(p): return root + p if p.startswith('/etc/') or p.startswith('/usr/lib/os-release') else p
dist.get_file_content = lambda p, *a, **k: u.get_file_content(remap(p), *a, **k)
dist.get_file_lines = lambda p, *a, **k: u.get_file_lines(remap(p), *a, **k)
_orig = dist.os.path.exists
class P: pass
import types
dist.os = types.SimpleNamespace(path=types.SimpleNamespace(exists=lambda p: _orig(remap(p)), getsize=lambda p: os.path.getsize(remap(p)), isfile=lambda p: os.path.isfile(remap(p)), join=os.path.join, basename=os.path.basename))
class M:
    def get_bin_path(self, *a, **k): return None
    def run_command(self, *a, **k): return (1, '', '')
f = dist.Distribution(M()).get_distribution_facts()
print(json.dumps({k: f[k] for k in sorted(f)}, indent=1))
