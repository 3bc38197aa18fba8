#!/usr/bin/python3
"""moat's benchmark on the testbed: moat, the OpenSSH floors and Ansible, side by side, alternating.

Run through tests/bench/converge (it checks root, builds the jar and passes its arguments here).
For each host count it brings up a testbed with a delaying proxy in front of every sshd (one
testbed serves both link settings: the direct inventory names the hosts' own addresses, the slow
one the proxy's ports), then for each link setting makes ROUNDS rounds; in each round every tool,
in an order that rotates from round to round, runs its scenarios on hosts reset to the same base:

  moat            cli/moat apply (first converge), apply again (no-op rerun), check
  ansible         ansible-playbook with Ansible's defaults (forks 5, facts gathered, no pipelining)
  ansible-tuned   forks 50, pipelining, ControlPersist, gather_facts false
  floor           one `ssh` per host in parallel replaying, byte for byte, the exec requests moat
                  sent for a no-op check (captured with MOAT_SCRIPT_DUMP)
  files           one `ssh` per host in parallel reading only the files moat's script read (found by
                  running that script under strace on a host): cat, stat, ls

Every timed run is also counted: SSH connections accepted and exec requests started on each host
(sshd's own log at LogLevel VERBOSE, lines logged during the run), controller CPU and peak RSS
(/usr/bin/time: user+sys of the tool and its children; peak RSS of its largest process), and host
CPU (the growth of each host's sshd's children CPU time: every connection, session and script that
ended). The host CPU of moat's read script alone is measured by running it inside a host.

Writes results to the JSON file given by --json and prints markdown tables.
"""
import argparse
import concurrent.futures
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TB = os.path.join(ROOT, "tests", "testbed", "testbed")
PLAYBOOK = os.path.join(ROOT, "playbooks", "harden-inference.yml")
ANSIBLE_PLAYBOOK = os.path.join(ROOT, "tests", "bench", "ansible", "harden-inference.yml")
SCENARIOS = ("first", "rerun", "check")
TOOLS = ("moat", "ansible", "ansible-tuned", "floor", "files")
HZ = os.sysconf("SC_CLK_TCK")
# What the play writes, restored from a snapshot taken before the first run (reset, not timed).
STATE_PATHS = "etc/ufw etc/default/ufw etc/nginx"
VAULT_PASSWORD = "bench-not-a-secret"


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def tb(*args, capture=False, check=True):
    r = subprocess.run([TB, *args], stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if check and r.returncode != 0:
        raise SystemExit(f"bench: testbed {' '.join(args[:2])} failed: {r.stderr.strip()[-2000:]}")
    return r.stdout if capture else r.returncode


def pmap(fn, items, workers=16):
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as ex:
        return list(ex.map(fn, items))


class Testbed:
    """The hosts of an `up N --latency MS` testbed, their logs, their sshd and the inventories."""

    def __init__(self, n, latency):
        self.n = n
        self.latency = latency
        t0 = time.time()
        args = ["up", str(n), "--no-ai"] + (["--latency", str(latency)] if latency else [])
        log(f"testbed {' '.join(args)}")
        tb(*args)
        self.up_seconds = time.time() - t0
        env = tb("env", capture=True)
        self.env = dict(re.findall(r"export (\w+)='([^']*)'", env))
        self.dir = self.env["MOAT_TESTBED_DIR"]
        self.key = self.env["MOAT_TESTBED_KEY"]
        self.known_hosts = self.env["MOAT_TESTBED_KNOWN_HOSTS"]
        self.hosts = []
        with open(os.path.join(self.dir, "hosts.tsv")) as f:
            for line in f:
                p = line.rstrip("\n").split("\t")
                proxy = p[3].split(":") if len(p) > 3 else None
                self.hosts.append({"name": p[0], "ip": p[1], "port": int(p[2]),
                                   "proxy": (proxy[0], int(proxy[1])) if proxy else None})
        self.work = os.path.join(self.dir, "bench")
        os.makedirs(self.work, exist_ok=True)
        pmap(self._prepare, self.hosts)
        self.inventories = {"direct": self._inventory("direct")}
        if latency:
            self.inventories["slow"] = self._inventory("slow")

    def exec(self, host, script, check=True, stdin=None):
        r = subprocess.run([TB, "exec", host, script], input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           stdin=None if stdin is not None else subprocess.DEVNULL)
        if check and r.returncode != 0:
            raise SystemExit(f"bench: on {host}: {script[:80]}...: {r.stderr.strip()[-1000:]}")
        return r.stdout

    def _prepare(self, h):
        # sshd logs each connection and each exec request (LogLevel VERBOSE: "Connection from",
        # "Starting session: command"); a HUP re-executes it in place with the new setting.
        self.exec(h["name"], "printf 'LogLevel VERBOSE\\n' >/etc/ssh/sshd_config.d/01-bench.conf; "
                             f"tar -C / -cpf /var/tmp/bench-base.tar {STATE_PATHS} 2>/dev/null; "
                             "kill -HUP \"$(cat /run/sshd.pid)\"")
        time.sleep(0.3)
        h["sshd"] = self._sshd_pid(h["name"])

    def _sshd_pid(self, name):
        """The host's sshd listener, seen from the root namespace: a grandchild of the host's init."""
        init = open(os.path.join(self.dir, "pids", f"{name}.init.pid")).read().strip()
        todo = [init]
        while todo:
            pid = todo.pop()
            try:
                cmd = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ")
                if b"sshd" in cmd and b"-D" in cmd:  # sshd rewrites its title: "sshd: /usr/sbin/sshd -D -e [listener] ..."
                    return pid
                todo += open(f"/proc/{pid}/task/{pid}/children").read().split()
            except OSError:
                continue
        raise SystemExit(f"bench: no sshd found in {name}")

    def _inventory(self, link):
        path = os.path.join(self.work, f"inventory-{link}.yml")
        lines = ["# tests/bench: the testbed's hosts, " + ("direct" if link == "direct" else
                 f"through the proxy (+{self.latency} ms each way)"), "all:", "  hosts:"]
        for h in self.hosts:
            addr, port = (h["ip"], h["port"]) if link == "direct" else h["proxy"]
            lines += [f"    {h['name']}:", f"      ansible_host: {addr}", f"      ansible_port: {port}"]
        lines += ["  vars:", "    ansible_user: root", f"    ansible_ssh_private_key_file: {self.key}",
                  f"    ansible_ssh_common_args: -o UserKnownHostsFile={self.known_hosts} -o StrictHostKeyChecking=yes",
                  "    ansible_python_interpreter: /usr/bin/python3", "    tls: false",
                  "    vault_services:", "      - {name: vllm, port: 8000, domain: vllm.bench.test}",
                  "      - {name: ollama, port: 11434, domain: ollama.bench.test}"]
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def endpoint(self, h, link):
        return (h["ip"], h["port"]) if link == "direct" else h["proxy"]

    def reset(self):
        """Back to the base state: UFW off, nginx stopped, the play's files as they were, no moat runs."""
        script = ("ufw --force disable >/dev/null 2>&1; "
                  "[ -s /run/nginx.pid ] && kill \"$(cat /run/nginx.pid)\" 2>/dev/null; "
                  f"rm -rf {' '.join('/' + p for p in STATE_PATHS.split())} /var/lib/moat/runs /var/lib/moat/guard; "
                  "tar -C / -xpf /var/tmp/bench-base.tar; sleep 0.2; pgrep -x nginx >/dev/null && pkill -x -KILL nginx; true")
        pmap(lambda h: self.exec(h["name"], script), self.hosts)

    def counters(self):
        """Per host: sshd log size so far, and the CPU ticks of every ended connection."""
        out = {}
        for h in self.hosts:
            logf = os.path.join(self.dir, "hosts", h["name"], "upper", "var", "log", "sshd.log")
            st = open(f"/proc/{h['sshd']}/stat").read().rsplit(")", 1)[1].split()
            out[h["name"]] = (os.path.getsize(logf), int(st[14]) + int(st[15]))  # cutime + cstime
        return out

    def since(self, before):
        """Connections, exec requests and host CPU seconds per host since `before`."""
        res = {}
        for h in self.hosts:
            logf = os.path.join(self.dir, "hosts", h["name"], "upper", "var", "log", "sshd.log")
            with open(logf, "rb") as f:
                f.seek(before[h["name"]][0])
                text = f.read().decode("utf-8", "replace")
            st = open(f"/proc/{h['sshd']}/stat").read().rsplit(")", 1)[1].split()
            ticks = int(st[14]) + int(st[15]) - before[h["name"]][1]
            res[h["name"]] = {"connections": len(re.findall(r"^Connection from ", text, re.M)),
                              "execs": len(re.findall(r"Starting session: command ", text)),
                              "subsystems": len(re.findall(r"subsystem request for ", text)),
                              "host_cpu_s": ticks / HZ}
        return res


def timed(cmd, env=None, stdout_path=None):
    """Wall seconds, exit status, controller CPU seconds and peak RSS (KiB) of one command."""
    tf = tempfile.NamedTemporaryFile(prefix="bench-time.", delete=False)
    tf.close()
    full = ["/usr/bin/time", "-o", tf.name, "-f", "%U %S %M"] + cmd
    out = open(stdout_path, "ab") if stdout_path else subprocess.DEVNULL
    t0 = time.monotonic()
    proc = subprocess.Popen(full, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    peak = {"threads": 0, "fds": 0}
    while proc.poll() is None:
        sample_tree(proc.pid, peak)
        time.sleep(0.1)
    rc = proc.returncode
    wall = time.monotonic() - t0
    if stdout_path:
        out.close()
    try:
        u, s, m = open(tf.name).read().strip().splitlines()[-1].split()
        cpu, rss = float(u) + float(s), int(m)
    except (ValueError, IndexError):
        cpu, rss = None, None
    os.unlink(tf.name)
    return {"wall": wall, "rc": rc, "ctl_cpu_s": cpu, "peak_rss_kib": rss, "peak_threads": peak["threads"], "peak_fds": peak["fds"]}


def sample_tree(pid, peak):
    """Threads and open file descriptors of the process with the most threads under `pid` (the JVM, for moat)."""
    todo, best = [str(pid)], (0, 0)
    while todo:
        p = todo.pop()
        try:
            threads = int(next(l.split()[1] for l in open(f"/proc/{p}/status") if l.startswith("Threads:")))
            if threads > best[0]:
                best = (threads, len(os.listdir(f"/proc/{p}/fd")))
            todo += open(f"/proc/{p}/task/{p}/children").read().split()
        except (OSError, StopIteration):
            continue
    peak["threads"] = max(peak["threads"], best[0])
    peak["fds"] = max(peak["fds"], best[1])


class Tools:
    def __init__(self, bed, moat, args):
        self.bed = bed
        self.moat = moat
        self.args = args
        self.logfile = os.path.join(bed.work, "runs.log")
        self.env = dict(os.environ, MOAT_HOME=os.path.join(bed.work, "moat-home"), MOAT_VAULT_PASSWORD=VAULT_PASSWORD,
                        TERM="dumb")
        self.env.pop("MOAT_SCRIPT_DUMP", None)
        self.captured = {}
        self.files_script = {}

    def note(self, text):
        with open(self.logfile, "a") as f:
            f.write(f"\n==== {datetime.datetime.now().isoformat(timespec='seconds')} {text}\n")

    def moat_cmd(self, scenario, link):
        verb = "check" if scenario == "check" else "apply"
        return self.moat + [verb, PLAYBOOK, "-i", self.bed.inventories[link]]

    def ansible_env(self, tuned, link):
        d = os.path.join(self.bed.work, "ansible-" + ("tuned" if tuned else "default") + "-" + link)
        os.makedirs(d, exist_ok=True)
        e = dict(self.env, ANSIBLE_HOME=d, ANSIBLE_LOCAL_TEMP=os.path.join(d, "tmp"), ANSIBLE_SSH_CONTROL_PATH_DIR=os.path.join(d, "cp"),
                 ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_DEPRECATION_WARNINGS="False", ANSIBLE_NOCOLOR="1",
                 ANSIBLE_RETRY_FILES_ENABLED="False")
        if tuned:
            e.update(ANSIBLE_FORKS="50", ANSIBLE_PIPELINING="True", ANSIBLE_GATHERING="explicit",
                     ANSIBLE_SSH_ARGS="-C -o ControlMaster=auto -o ControlPersist=600s")
        return e, d

    def ansible_cmd(self, scenario, link):
        c = ["ansible-playbook", "-i", self.bed.inventories[link], ANSIBLE_PLAYBOOK]
        return c + (["--check", "--diff"] if scenario == "check" else [])

    def close_masters(self, d):
        """Ends Ansible's ControlPersist masters, so each run starts cold (as moat does) and their CPU is counted."""
        cp = os.path.join(d, "cp")
        if not os.path.isdir(cp):
            return
        for s in os.listdir(cp):
            subprocess.run(["ssh", "-o", f"ControlPath={os.path.join(cp, s)}", "-O", "exit", "x"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def run(self, tool, scenario, link):
        """One timed run of `tool` for `scenario` over every host, with its counts."""
        env = self.env
        d = None
        if tool == "moat":
            cmd = self.moat_cmd(scenario, link)
        elif tool.startswith("ansible"):
            env, d = self.ansible_env(tool == "ansible-tuned", link)
            cmd = self.ansible_cmd(scenario, link)
        elif tool == "floor":
            cmd = [sys.executable, __file__, "--replay", self.replay_spec(link, "floor")]
        else:
            cmd = [sys.executable, __file__, "--replay", self.replay_spec(link, "files")]
        self.note(f"{tool} {scenario} {link}: {' '.join(cmd)}")
        before = self.bed.counters()
        r = timed(cmd, env=env, stdout_path=self.logfile)
        if d:
            self.close_masters(d)
        time.sleep(0.3)  # let sshd log the last close and reap the session
        per_host = self.bed.since(before)
        r["per_host"] = per_host
        return r

    def replay_spec(self, link, kind):
        path = os.path.join(self.bed.work, f"replay-{kind}-{link}.json")
        if not os.path.exists(path):
            jobs = []
            for h in self.bed.hosts:
                addr, port = self.bed.endpoint(h, link)
                ssh = ["ssh", "-q", "-T", "-o", "BatchMode=yes", "-o", f"UserKnownHostsFile={self.bed.known_hosts}",
                       "-o", "StrictHostKeyChecking=yes", "-i", self.bed.key, "-p", str(port),
                       f"root@{addr}"]
                if kind == "floor":
                    for line, payload in self.captured[h["name"]]:
                        jobs.append({"host": h["name"], "argv": ssh + [line], "stdin": payload})
                else:
                    jobs.append({"host": h["name"], "argv": ssh + [self.files_script[h["name"]]], "stdin": None})
            with open(path, "w") as f:
                json.dump(jobs, f)
        return path

    def capture(self):
        """moat's exec requests for a no-op check, per host, exactly as sent (MOAT_SCRIPT_DUMP)."""
        dump = os.path.join(self.bed.work, "script-dump")
        subprocess.run(["rm", "-rf", dump])
        env = dict(self.env, MOAT_SCRIPT_DUMP=dump)
        self.note("capture: moat check with MOAT_SCRIPT_DUMP")
        r = timed(self.moat_cmd("check", "direct"), env=env, stdout_path=self.logfile)
        self.capture_run = r
        if r["rc"] != 0:
            raise SystemExit(f"bench: moat check on converged hosts exited {r['rc']} (see {self.logfile})")
        for h in self.bed.hosts:
            d = os.path.join(dump, h["name"])
            names = sorted(os.listdir(d)) if os.path.isdir(d) else []
            if any(n.endswith(".withheld") for n in names):
                raise SystemExit(f"bench: a no-op check sent a withheld command to {h['name']}; cannot replay it")
            self.captured[h["name"]] = [(open(os.path.join(d, n)).read(), open(os.path.join(d, n[:-5] + ".in"), "rb").read().decode())
                                        for n in names if n.endswith(".line")]
        return dump

    def _upload(self, h):
        """The host's captured exec requests as files in h's /var/tmp, and a runner that replays them in order."""
        runner = []
        for i, (line, payload) in enumerate(self.captured[h], 1):
            self.bed.exec(h, f"cat >/var/tmp/bench-{i}.in", stdin=payload)
            runner.append(f"sh -c {shlex.quote(line)} </var/tmp/bench-{i}.in >/dev/null 2>&1")
        self.bed.exec(h, "cat >/var/tmp/bench-run.sh", stdin="\n".join(runner) + "\n")

    def trace_files(self):
        """The files moat's scripts read, from strace of the captured requests replayed on h1: cat/stat/ls them."""
        h = self.bed.hosts[0]["name"]
        self._upload(h)
        out = self.bed.exec(h, "strace -f -qq -e trace=openat,open,stat,lstat,newfstatat,statx -o /var/tmp/bench-trace "
                               "sh /var/tmp/bench-run.sh; cat /var/tmp/bench-trace")
        return files_from_trace(out)

    def script_cpu(self, runs=5):
        """Host CPU (user+sys, ms) of each of a no-op check's requests, run in order inside h1 without SSH, `runs` times."""
        h = self.bed.hosts[0]["name"]
        k = len(self.captured[h])
        timing = "; ".join(f"/usr/bin/time -a -f '{i} %U %S' -o /var/tmp/bench-cpu sh -c {shlex.quote(line)} "
                           f"</var/tmp/bench-{i}.in >/dev/null 2>&1" for i, (line, _) in enumerate(self.captured[h], 1))
        per = {i: [] for i in range(1, k + 1)}
        for _ in range(runs):
            out = self.bed.exec(h, f"rm -f /var/tmp/bench-cpu; {timing}; cat /var/tmp/bench-cpu")
            for ln in out.strip().splitlines():
                i, u, s = ln.split()
                per[int(i)].append((float(u) + float(s)) * 1000)
        total = [sum(per[i][r] for i in per) for r in range(runs)]
        return total, {i: statistics.median(v) for i, v in per.items()}


SKIP_PREFIXES = ("/usr/lib/", "/lib/", "/lib64/", "/usr/lib64/", "/usr/share/locale", "/usr/lib/locale", "/etc/ld.so",
                 "/dev/", "/proc/self/", "/proc/thread-self/", "/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/", "/tmp/",
                 "/var/tmp/", "/usr/local/", "/usr/share/zoneinfo", "/etc/localtime", "/usr/share/python", "/usr/lib/python",
                 "/etc/python", "/usr/share/pyshared", "/sys/")


def files_from_trace(trace):
    """From strace output: files opened for reading (cat), paths only stat'ed (stat), directories opened (ls)."""
    opened, stated, dirs = [], [], []
    for ln in trace.splitlines():
        m = re.search(r'(openat|open|stat|lstat|newfstatat|statx)\((?:AT_FDCWD, |\d+, )?"([^"]+)"(.*)\) = (-?\d+)', ln)
        if not m or int(m.group(4)) < 0:
            continue
        call, path, rest = m.group(1), m.group(2), m.group(3)
        if not path.startswith("/") or path.startswith(SKIP_PREFIXES):
            continue
        if re.match(r"^/proc/\d+", path) or path.endswith((".pyc", ".py", ".so")) or "__pycache__" in path:
            continue
        if call in ("openat", "open"):
            if "O_DIRECTORY" in rest:
                dirs.append(path)
            elif "O_WRONLY" not in rest and "O_RDWR" not in rest:
                opened.append(path)
        else:
            stated.append(path)
    uniq = lambda xs: list(dict.fromkeys(xs))
    opened, dirs = uniq(opened), uniq(dirs)
    stated = [p for p in uniq(stated) if p not in opened and p not in dirs]
    return {"cat": opened, "stat": stated, "ls": dirs}


def files_script(f):
    q = lambda xs: " ".join(shlex.quote(x) for x in xs)
    parts = []
    if f["cat"]:
        parts.append(f"cat {q(f['cat'])} 2>/dev/null")
    if f["stat"]:
        parts.append(f"stat {q(f['stat'])} 2>/dev/null")
    if f["ls"]:
        parts.append(f"ls -la {q(f['ls'])} 2>/dev/null")
    return "; ".join(parts) + "; true" if parts else "true"


def replay(spec):
    """The OpenSSH floors: every job's ssh at once (a host's jobs one after another), stdin as given."""
    jobs = json.load(open(spec))
    by_host = {}
    for j in jobs:
        by_host.setdefault(j["host"], []).append(j)

    cp = tempfile.mkdtemp(prefix="bench-cp.")

    def one(js):
        # A host's requests share one connection, as moat's do: the first ssh becomes its master.
        rc = 0
        path = os.path.join(cp, js[0]["host"])
        mux = ["-o", "ControlMaster=auto", "-o", f"ControlPath={path}", "-o", "ControlPersist=yes"] if len(js) > 1 else []
        for j in js:
            argv = j["argv"][:1] + mux + j["argv"][1:]
            p = subprocess.run(argv, input=j["stdin"].encode() if j["stdin"] is not None else None,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            rc = rc or p.returncode
        if mux:
            subprocess.run(j["argv"][:1] + ["-o", f"ControlPath={path}", "-O", "exit", "x"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return rc

    with concurrent.futures.ThreadPoolExecutor(max_workers=len(by_host)) as ex:
        rcs = list(ex.map(one, by_host.values()))
    os.rmdir(cp) if not os.listdir(cp) else None
    return 1 if any(rcs) else 0


def stats(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return None
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "n": len(xs)}


def summarize(runs):
    """Per tool and scenario: wall, controller CPU, peak RSS, host CPU, and per-host counts of the runs."""
    out = {}
    for (tool, scenario), rs in runs.items():
        conns = [c["connections"] for r in rs for c in r["per_host"].values()]
        execs = [c["execs"] for r in rs for c in r["per_host"].values()]
        out.setdefault(tool, {})[scenario] = {
            "wall_s": stats([r["wall"] for r in rs]),
            "ctl_cpu_s": stats([r["ctl_cpu_s"] for r in rs]),
            "peak_rss_mib": stats([r["peak_rss_kib"] / 1024 for r in rs if r["peak_rss_kib"]]),
            "peak_threads": max((r.get("peak_threads", 0) for r in rs), default=0),
            "peak_fds": max((r.get("peak_fds", 0) for r in rs), default=0),
            "host_cpu_s": stats([sum(c["host_cpu_s"] for c in r["per_host"].values()) for r in rs]),
            "connections_per_host": {"min": min(conns), "max": max(conns)} if conns else None,
            "execs_per_host": {"min": min(execs), "max": max(execs)} if execs else None,
            "failed_runs": sum(1 for r in rs if r["rc"] not in (0, 2)),
            "exit_codes": sorted({r["rc"] for r in rs}),
        }
    return out


def fmt(s, unit="s", digits=2):
    if not s:
        return "—"
    if s["n"] == 1:
        return f"{s['median']:.{digits}f}"
    return f"{s['median']:.{digits}f} ({s['min']:.{digits}f}–{s['max']:.{digits}f})"


def rng(c):
    if not c:
        return "—"
    return str(c["min"]) if c["min"] == c["max"] else f"{c['min']}–{c['max']}"


def table(group):
    s = group["summary"]
    head = (f"\n### {group['hosts']} hosts, {'+' + str(2 * group['latency_ms']) + ' ms round trip' if group['link'] == 'slow' else 'direct'}"
            f" ({group['rounds']} rounds)\n\n"
            "| tool | first converge s | no-op rerun s | check s | conns/host (first, rerun, check) | execs/host (first, rerun, check) "
            "| controller CPU s (check) | peak RSS MiB (check) | host CPU s, all hosts (check) |\n"
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
    rows = []
    for tool in TOOLS:
        if tool not in s:
            continue
        t = s[tool]
        cell = lambda sc, k: fmt(t[sc][k]) if sc in t else "—"
        cnt = lambda k: ", ".join(rng(t[sc][k]) if sc in t else "—" for sc in SCENARIOS)
        c = t.get("check", {})
        fails = sum(t[sc]["failed_runs"] for sc in t)
        name = tool + (f" ({fails} failed runs)" if fails else "")
        rows.append(f"| {name} | {cell('first', 'wall_s')} | {cell('rerun', 'wall_s')} | {cell('check', 'wall_s')} | {cnt('connections_per_host')} "
                    f"| {cnt('execs_per_host')} | {fmt(c.get('ctl_cpu_s'))} | {fmt(c.get('peak_rss_mib'), digits=0)} | {fmt(c.get('host_cpu_s'))} |")
    ratios = []
    m = s.get("moat", {}).get("check", {}).get("wall_s")
    for other in ("floor", "files", "ansible-tuned", "ansible"):
        o = s.get(other, {}).get("check", {}).get("wall_s")
        if m and o:
            ratios.append(f"moat check / {other} check = {m['median'] / o['median']:.2f}")
    head = head.replace(f"({group['rounds']} rounds)", f"({group['rounds']} rounds; n = runs behind each figure: "
                        + ", ".join(f"{tool} {max(v['wall_s']['n'] for v in s[tool].values() if v['wall_s'])}" for tool in s) + ")")
    return head + "\n".join(rows) + ("\n\n" + "; ".join(ratios) + "\n" if ratios else "\n")


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((int(l.split()[1]) // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    return {"cpus": os.cpu_count(), "cpu": cpu, "mem_mib": mem, "kernel": platform.release(),
            "loadavg_at_start": open("/proc/loadavg").read().split()[:3]}


def main():
    ap = argparse.ArgumentParser(description="moat's benchmark (run it through tests/bench/converge)")
    ap.add_argument("--replay", help=argparse.SUPPRESS)
    ap.add_argument("--hosts", default="10", help="host counts, comma-separated (default 10)")
    ap.add_argument("--rounds", type=int, default=5, help="rounds per setting; each figure is their median (default 5)")
    ap.add_argument("--latency", type=int, default=25, help="ms each way for the slow link (0: direct only; default 25 = 50 ms round trip)")
    ap.add_argument("--links", default="direct,slow", help="direct, slow or both (default both)")
    ap.add_argument("--tools", default=",".join(TOOLS), help=f"subset of {','.join(TOOLS)}")
    ap.add_argument("--scenarios", default=",".join(SCENARIOS), help="subset of first,rerun,check (rerun and check run after a first converge that is timed only when asked for)")
    ap.add_argument("--ansible-scenarios", default=None, help="Ansible's scenarios, when fewer than --scenarios (its runs are long)")
    ap.add_argument("--ansible-rounds", type=int, default=None, help="Ansible only in the first K rounds (default: every round)")
    ap.add_argument("--ansible-max-hosts", type=int, default=10, help="run Ansible only up to this host count (default 10)")
    ap.add_argument("--moat", default=os.path.join(ROOT, "cli", "moat"), help="the moat launcher to measure (default cli/moat)")
    ap.add_argument("--json", default=os.path.join(ROOT, "target", "bench", "bench.json"))
    ap.add_argument("--markdown", default=os.path.join(ROOT, "target", "bench", "bench.md"))
    ap.add_argument("--keep", action="store_true", help="leave the testbed up")
    a = ap.parse_args()
    if a.replay:
        sys.exit(replay(a.replay))

    tools = [t for t in a.tools.split(",") if t in TOOLS]
    if not shutil.which("ansible-playbook"):
        tools = [t for t in tools if not t.startswith("ansible")]
    links = [l for l in a.links.split(",") if l and (l == "direct" or a.latency)]
    result = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "machine": machine(),
              "moat": a.moat, "playbook": "playbooks/harden-inference.yml (tls: false, 2 vault services)",
              "ansible_playbook": "tests/bench/ansible/harden-inference.yml",
              "ansible": subprocess.run(["ansible-playbook", "--version"], capture_output=True, text=True).stdout.splitlines()[:1]
              if "ansible" in a.tools else None, "groups": []}
    os.makedirs(os.path.dirname(a.json), exist_ok=True)
    # Untimed: a source checkout's launcher rebuilds a stale jar here, not inside a measured run.
    v = subprocess.run(a.moat.split() + ["--version"], capture_output=True, text=True)
    if v.returncode != 0:
        raise SystemExit(f"bench: {a.moat} --version failed: {v.stderr.strip()}")
    result["moat_version"] = v.stdout.strip()
    md = [f"moat benchmark, {result['date']}, {result['machine']['cpus']} CPUs ({result['machine']['cpu']}), "
          f"load average at start {' '.join(result['machine']['loadavg_at_start'])}. "
          "Figures: median (min–max) of the rounds, seconds."]
    try:
        for n in [int(x) for x in a.hosts.split(",")]:
            bed = Testbed(n, a.latency if "slow" in links else 0)
            t = Tools(bed, a.moat.split(), a)
            # A converged state for the capture: moat apply, then the no-op check's requests recorded.
            bed.reset()
            r = timed(t.moat_cmd("first", "direct"), env=t.env, stdout_path=t.logfile)
            if r["rc"] != 0:
                raise SystemExit(f"bench: moat apply exited {r['rc']} (see {t.logfile})")
            t.capture()
            files = t.trace_files()
            for h in bed.hosts:
                t.files_script[h["name"]] = files_script(files)
            cpu, per_request = t.script_cpu()
            info = {"script_host_cpu_ms": stats(cpu), "script_host_cpu_ms_per_request": per_request,
                    "request_heads": [p.split("\n", 2)[1][:100] for _, p in t.captured[bed.hosts[0]["name"]]], "script_bytes": [len(p.encode()) for _, p in t.captured[bed.hosts[0]["name"]]],
                    "execs_per_host_no_op_check_dump": len(t.captured[bed.hosts[0]["name"]]), "files_read": files,
                    "testbed_up_s": bed.up_seconds, "setup_apply": r, "capture_check": t.capture_run}
            log(f"{n} hosts: moat's no-op check sends {info['execs_per_host_no_op_check_dump']} exec request(s) per host; "
                f"its script costs {fmt(info['script_host_cpu_ms'], digits=0)} ms of host CPU on h1")
            use = [x for x in tools if not (x.startswith("ansible") and n > a.ansible_max_hosts)]
            converging = [x for x in use if x not in ("floor", "files")]
            for link in links:
                runs = {}
                converged = set()
                for rnd in range(a.rounds):
                    this = [x for x in use if not (x.startswith("ansible") and a.ansible_rounds is not None and rnd >= a.ansible_rounds)]
                    order = this[rnd % len(this):] + this[:rnd % len(this)]
                    for tool in order:
                        if tool in ("floor", "files"):
                            # Read-only: timed against the state the last converge left.
                            runs.setdefault((tool, "check"), []).append(t.run(tool, "check", link))
                            continue
                        wanted = a.ansible_scenarios if tool.startswith("ansible") and a.ansible_scenarios else a.scenarios
                        # With one converging tool and no first converge to time, the hosts stay converged across rounds.
                        again = "first" not in wanted.split(",") and tool in converged and len(converging) == 1
                        if not again:
                            bed.reset()
                        converged.add(tool)
                        for sc in SCENARIOS:
                            if (sc != "first" or again) and sc not in wanted.split(","):
                                continue
                            rr = t.run(tool, sc, link)
                            if sc not in wanted.split(","):
                                continue  # the converge the rerun and check need, not reported
                            runs.setdefault((tool, sc), []).append(rr)
                            log(f"{n} hosts {link} round {rnd + 1}/{a.rounds}: {tool} {sc} {rr['wall']:.2f} s (exit {rr['rc']})")
                    if "floor" in order or "files" in order:
                        log(f"{n} hosts {link} round {rnd + 1}/{a.rounds}: floors done")
                group = {"hosts": n, "link": link, "latency_ms": a.latency if link == "slow" else 0, "rounds": a.rounds,
                         "info": info, "summary": summarize(runs),
                         "runs": {f"{k[0]}/{k[1]}": v for k, v in runs.items()}}
                result["groups"].append(group)
                md.append(table(group))
                md.append(f"moat's requests for a no-op check: {sum(info['script_bytes'])} bytes of script on stdin "
                          f"({' + '.join(str(b) for b in info['script_bytes'])}), "
                          f"{info['execs_per_host_no_op_check_dump']} exec request(s) per host, "
                          f"host CPU {fmt(info['script_host_cpu_ms'], digits=0)} ms when run inside h1 "
                          f"(per request, median: {', '.join(f'{v:.0f}' for v in per_request.values())}); "
                          f"files it reads: {len(files['cat'])} read, {len(files['stat'])} stat'ed, {len(files['ls'])} listed.\n")
                with open(a.json, "w") as f:
                    json.dump(result, f, indent=1)
                with open(a.markdown, "w") as f:
                    f.write("\n".join(md) + "\n")
    finally:
        if not a.keep:
            log("testbed down")
            tb("down", check=False)
    print("\n".join(md))
    log(f"wrote {a.json} and {a.markdown}")
    failed = [f"{g['hosts']} hosts {g['link']}: {k} exited {r['rc']}" for g in result["groups"]
              for k, rs in g["runs"].items() for r in rs if r["rc"] not in (0, 2)]
    if failed:
        log("failed runs (their output is in the testbed's bench/runs.log, kept with --keep): " + "; ".join(failed))
        sys.exit(1)


if __name__ == "__main__":
    main()
