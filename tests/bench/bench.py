#!/usr/bin/python3
"""moat's benchmark on the testbed: moat, the OpenSSH floors and Ansible, side by side, alternating.

Run through tests/bench/converge (it checks root, builds the jar and passes its arguments here).
For each host count it brings up a testbed with a delaying proxy in front of every sshd (one
testbed serves both link settings: the direct inventory names the hosts' own addresses, the slow
one the proxy's ports), then for each play and each link setting makes ROUNDS rounds; in each
round every tool, in an order that rotates from round to round, runs its scenarios on hosts reset
to the same base:

  moat            cli/moat apply (first converge), apply again (no-op rerun), check
  ansible         ansible-playbook with Ansible's defaults (forks 5, facts gathered, no pipelining)
  ansible-tuned   forks 50, pipelining, ControlPersist, no facts (the corpus role: the 'min' subset)
  floor           one `ssh` per host in parallel replaying, byte for byte, the exec requests moat
                  sent for a no-op check (captured with MOAT_SCRIPT_DUMP)
  files           one `ssh` per host in parallel reading only the files moat's script read (found by
                  running that script under strace on a host): cat, stat, ls; the files floor's own
                  script is strace'd too and must touch exactly those paths (printed)

Plays: harden (playbooks/harden-inference.yml; Ansible: tests/bench/ansible/harden-inference.yml)
and corpus (geerlingguy.firewall from ../shared/corpus, the play its README shows, read unchanged
by both tools). An Ansible run longer than --ansible-limit seconds is ended and that Ansible runs
no more for the play at that host count or a larger one (the issue: "Ansible only up to where one
run finishes within 10 minutes"). The slow link's proxy reports how late it let chunks leave.

Every timed run is also counted: SSH connections accepted and exec requests started on each host
(sshd's own log at LogLevel VERBOSE, lines logged during the run), controller CPU and peak RSS
(/usr/bin/time: user+sys of the tool and its children; peak RSS of its largest process), and host
CPU (the growth of each host's sshd's children CPU time: every connection, session and script that
ended). The host CPU of moat's read script alone is measured by running it inside a host.

Writes results to the JSON file given by --json and prints markdown tables, then the issue's
targets, each with its figure and PASS or MISS.
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
# The real role from the corpus (../shared/corpus or $MOAT_CORPUS, never copied into the project):
# geerlingguy.firewall as its README's play runs it (play/geerlingguy.firewall.yml, group `server`),
# read unchanged by moat and by ansible-playbook from a directory whose ansible.cfg names the
# corpus's roles. It runs on the bench's plain hosts (no systemd: its SysV script and update-rc.d).
CORPUS_ROLE = "geerlingguy.firewall"
SCENARIOS = ("first", "rerun", "check")
PLAYS = ("harden", "corpus")
TOOLS = ("moat", "ansible", "ansible-tuned", "floor", "files")
HZ = os.sysconf("SC_CLK_TCK")
# What the play writes, restored from a snapshot taken before the first run (reset, not timed).
STATE_PATHS = "etc/ufw etc/default/ufw etc/nginx"
VAULT_PASSWORD = "bench-not-a-secret"
# Undoes geerlingguy.firewall (only where it ran, so the harden play's base is untouched): its
# script's stop flushes iptables, then its files and rc links go and the IPv6 table is emptied too.
FIREWALL_UNDO = ("if [ -e /etc/init.d/firewall ] || [ -e /etc/firewall.bash ]; then "
                 "/etc/init.d/firewall stop >/dev/null 2>&1; update-rc.d -f firewall remove >/dev/null 2>&1; "
                 "rm -f /etc/firewall.bash /etc/init.d/firewall; iptables -F; ip6tables -F; ip6tables -X; fi; ")


def corpus_dir():
    """The public roles (../shared/corpus from the project or from a worktree one level deeper), or $MOAT_CORPUS."""
    for d in (os.environ.get("MOAT_CORPUS"), os.path.join(ROOT, "..", "shared", "corpus"),
              os.path.join(ROOT, "..", "..", "shared", "corpus")):
        if d and os.path.isfile(os.path.join(d, "play", CORPUS_ROLE + ".yml")) and os.path.isdir(os.path.join(d, "roles", CORPUS_ROLE)):
            return os.path.abspath(d)
    return None


class Play:
    """What one benchmarked play is: moat's and Ansible's playbooks, the directory they run from, and
    the settings tuned Ansible may use for it."""

    def __init__(self, name, work, corpus=None):
        self.name = name
        if name == "harden":
            self.label = "playbooks/harden-inference.yml (tls: false, 2 vault services)"
            self.moat, self.ansible, self.cwd = PLAYBOOK, ANSIBLE_PLAYBOOK, ROOT
            # The Ansible rendition needs no facts.
            self.tuned = {"ANSIBLE_GATHERING": "explicit"}
        else:
            self.label = f"{CORPUS_ROLE} from the corpus ({corpus}/play/{CORPUS_ROLE}.yml, unchanged)"
            self.cwd = os.path.join(work, "corpus")
            os.makedirs(self.cwd, exist_ok=True)
            with open(os.path.join(self.cwd, "ansible.cfg"), "w") as f:
                f.write(f"# tests/bench: the corpus's roles, read in place\n[defaults]\nroles_path = {corpus}/roles\n"
                        "retry_files_enabled = False\n")
            self.moat = self.ansible = os.path.join(self.cwd, "site.yml")
            with open(self.moat, "w") as f:
                f.write(f"# tests/bench: the play the role's README shows, from the corpus, unchanged\n"
                        f"- import_playbook: {corpus}/play/{CORPUS_ROLE}.yml\n")
            # The role reads ansible_os_family and ansible_service_mgr: tuned Ansible gathers the
            # smallest subset that has them instead of gathering nothing.
            self.tuned = {"ANSIBLE_GATHER_SUBSET": "min"}


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
                 f"through the proxy (+{self.latency} ms each way)"),
                 "# (group server: the one the corpus's play targets)", "all:", "  children:", "    server:", "      hosts:"]
        for h in self.hosts:
            addr, port = (h["ip"], h["port"]) if link == "direct" else h["proxy"]
            lines += [f"        {h['name']}:", f"          ansible_host: {addr}", f"          ansible_port: {port}"]
        lines += ["  vars:", "    ansible_user: root", f"    ansible_ssh_private_key_file: {self.key}",
                  f"    ansible_ssh_common_args: -o UserKnownHostsFile={self.known_hosts} -o StrictHostKeyChecking=yes",
                  "    ansible_python_interpreter: /usr/bin/python3", "    tls: false",
                  "    vault_services:", "      - {name: vllm, port: 8000, domain: vllm.bench.test}",
                  "      - {name: ollama, port: 11434, domain: ollama.bench.test}"]
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def proxy_lateness(self):
        """How late the delaying proxy let chunks leave since the last call (SIGUSR1 makes it write
        $MOAT_TESTBED_DIR/proxy-stats.json), or None when it cannot say (an older proxy)."""
        path = os.path.join(self.dir, "proxy-stats.json")
        try:
            pid = int(open(os.path.join(self.dir, "pids", "proxy.pid")).read().strip())
            if b"DELAY_PROXY_STATS=" not in open(f"/proc/{pid}/environ", "rb").read():
                return None  # a proxy without the handler: SIGUSR1 would end it
            before = os.path.getmtime(path) if os.path.exists(path) else 0
            os.kill(pid, 10)  # SIGUSR1, to the proxy this testbed started
        except (OSError, ValueError):
            return None
        for _ in range(50):
            time.sleep(0.1)
            if os.path.exists(path) and os.path.getmtime(path) != before:
                try:
                    return json.load(open(path))
                except ValueError:
                    continue
        return None

    def endpoint(self, h, link):
        return (h["ip"], h["port"]) if link == "direct" else h["proxy"]

    def reset(self):
        """Back to the base state: UFW off, nginx stopped, no firewall role, the plays' files as they were, no moat runs."""
        script = ("ufw --force disable >/dev/null 2>&1; " + FIREWALL_UNDO +
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


def timed(cmd, env=None, stdout_path=None, cwd=None, limit=None):
    """Wall seconds, exit status, controller CPU seconds and peak RSS (KiB) of one command. After
    `limit` seconds the command's process group is ended and the run marked timed_out."""
    tf = tempfile.NamedTemporaryFile(prefix="bench-time.", delete=False)
    tf.close()
    full = ["/usr/bin/time", "-o", tf.name, "-f", "%U %S %M"] + cmd
    out = open(stdout_path, "ab") if stdout_path else subprocess.DEVNULL
    t0 = time.monotonic()
    proc = subprocess.Popen(full, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=cwd,
                            start_new_session=True)
    peak = {"threads": 0, "fds": 0}
    timed_out = False
    while proc.poll() is None:
        sample_tree(proc.pid, peak)
        time.sleep(0.1)
        if limit and not timed_out and time.monotonic() - t0 > limit:
            timed_out = True
            log(f"{' '.join(cmd[:2])}... still running after {limit} s: ending it (its process group, {proc.pid})")
            for sig, grace in ((15, 10), (9, 0)):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(timeout=grace or None)
                    break
                except subprocess.TimeoutExpired:
                    continue
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
    return {"wall": wall, "rc": rc, "ctl_cpu_s": cpu, "peak_rss_kib": rss, "peak_threads": peak["threads"], "peak_fds": peak["fds"],
            "timed_out": timed_out}


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
    """The tools' runs of one play on one testbed."""

    def __init__(self, bed, moat, args, play):
        self.bed = bed
        self.play = play
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
        return self.moat + [verb, self.play.moat, "-i", self.bed.inventories[link]]

    def ansible_env(self, tuned, link):
        d = os.path.join(self.bed.work, "ansible-" + ("tuned" if tuned else "default") + "-" + link)
        os.makedirs(d, exist_ok=True)
        e = dict(self.env, ANSIBLE_HOME=d, ANSIBLE_LOCAL_TEMP=os.path.join(d, "tmp"), ANSIBLE_SSH_CONTROL_PATH_DIR=os.path.join(d, "cp"),
                 ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_DEPRECATION_WARNINGS="False", ANSIBLE_NOCOLOR="1",
                 ANSIBLE_RETRY_FILES_ENABLED="False")
        if tuned:
            e.update(ANSIBLE_FORKS="50", ANSIBLE_PIPELINING="True",
                     ANSIBLE_SSH_ARGS="-C -o ControlMaster=auto -o ControlPersist=600s", **self.play.tuned)
        return e, d

    def ansible_cmd(self, scenario, link):
        c = ["ansible-playbook", "-i", self.bed.inventories[link], self.play.ansible]
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
        self.note(f"{self.play.name}: {tool} {scenario} {link}: {' '.join(cmd)}")
        before = self.bed.counters()
        r = timed(cmd, env=env, stdout_path=self.logfile, cwd=self.play.cwd,
                  limit=self.args.ansible_limit if tool.startswith("ansible") else None)
        if d:
            self.close_masters(d)
        time.sleep(0.3)  # let sshd log the last close and reap the session
        per_host = self.bed.since(before)
        r["per_host"] = per_host
        return r

    def replay_spec(self, link, kind):
        path = os.path.join(self.bed.work, f"replay-{self.play.name}-{kind}-{link}.json")
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
        dump = os.path.join(self.bed.work, f"script-dump-{self.play.name}")
        subprocess.run(["rm", "-rf", dump])
        env = dict(self.env, MOAT_SCRIPT_DUMP=dump)
        self.note(f"{self.play.name}: capture: moat check with MOAT_SCRIPT_DUMP")
        r = timed(self.moat_cmd("check", "direct"), env=env, stdout_path=self.logfile, cwd=self.play.cwd)
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
        out = self.bed.exec(h, f"strace -f -qq -e trace={TRACED} -o /var/tmp/bench-trace "
                               "sh /var/tmp/bench-run.sh; cat /var/tmp/bench-trace")
        return files_from_trace(out)

    def check_files_floor(self, files):
        """The files floor's own script under strace on h1: what it touches against what moat's scripts
        touch (the same filter on both traces). Empty lists: it reads exactly those files, nothing else."""
        h = self.bed.hosts[0]["name"]
        self.bed.exec(h, "cat >/var/tmp/bench-files.sh", stdin=files_script(files) + "\n")
        out = self.bed.exec(h, f"strace -f -qq -e trace={TRACED} -o /var/tmp/bench-trace-files "
                               "sh /var/tmp/bench-files.sh >/dev/null 2>&1; cat /var/tmp/bench-trace-files")
        got = files_from_trace(out)
        pairs = lambda f: {(k, p) for k in ("cat", "stat", "ls") for p in f[k]}
        want, have = pairs(files), pairs(got)
        # The floor's /proc/[0-9]*/X glob covers PID 1 too: that is moat's process-table read, not an extra file.
        glob = lambda kp: (kp[0], re.sub(r"^/proc/1(/|$)", r"/proc/[0-9]*\1", kp[1]))
        have = {kp if kp in want or glob(kp) not in want else glob(kp) for kp in have}
        return {"missing": sorted(f"{k} {p}" for k, p in want - have), "extra": sorted(f"{k} {p}" for k, p in have - want)}

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


TRACED = "openat,open,stat,lstat,newfstatat,statx,access,faccessat,faccessat2"
SKIP_PREFIXES = ("/usr/lib/", "/lib/", "/lib64/", "/usr/lib64/", "/usr/share/locale", "/usr/lib/locale", "/etc/ld.so",
                 "/dev/", "/proc/self/", "/proc/thread-self/", "/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/", "/tmp/",
                 "/var/tmp/", "/usr/local/", "/usr/share/zoneinfo", "/etc/localtime", "/usr/share/python", "/usr/lib/python",
                 "/etc/python", "/usr/share/pyshared", "/sys/")


def files_from_trace(trace):
    """From strace output: files opened for reading (cat), paths only stat'ed or tested, or looked
    up and absent (stat), directories opened (ls). The programs' own files (libraries, locales,
    binaries looked up on PATH) are left out; /proc/PID/NAME counts as /proc/[0-9]*/NAME, the
    process table read whatever the PIDs are (but PID 1, init, stays itself)."""
    opened, stated, dirs = [], [], []
    for ln in trace.splitlines():
        m = re.search(r'(openat|open|stat|lstat|newfstatat|statx|access|faccessat2?)\((?:AT_FDCWD, |\d+, )?"([^"]+)"(.*)\) = (-?\d+)( \w+)?', ln)
        if not m:
            continue
        call, path, rest, rc, err = m.group(1), m.group(2), m.group(3), int(m.group(4)), (m.group(5) or "").strip()
        if rc < 0 and err != "ENOENT":
            continue
        if not path.startswith("/") or path.startswith(SKIP_PREFIXES):
            continue
        if path.endswith((".pyc", ".py", ".so")) or "__pycache__" in path:
            continue
        path = re.sub(r"^/proc/(?!1(/|$))\d+(/|$)", r"/proc/[0-9]*\2", path)
        if call in ("openat", "open") and rc >= 0:
            if "O_DIRECTORY" in rest:
                dirs.append(path)
            elif "O_WRONLY" not in rest and "O_RDWR" not in rest:
                opened.append(path)
        elif "O_WRONLY" not in rest and "O_RDWR" not in rest:
            stated.append(path)
    uniq = lambda xs: list(dict.fromkeys(xs))
    opened, dirs = uniq(opened), uniq(dirs)
    stated = [p for p in uniq(stated) if p not in opened and p not in dirs]
    return {"cat": opened, "stat": stated, "ls": dirs}


def files_script(f):
    """cat what was read, stat what was only looked at, list (without stat'ing their entries) the
    directories that were read; /proc/[0-9]*/NAME stays a glob."""
    q = lambda xs: " ".join(x if x.startswith("/proc/[0-9]*/") else shlex.quote(x) for x in xs)
    parts = []
    if f["cat"]:
        parts.append(f"cat {q(f['cat'])} 2>/dev/null")
    if f["stat"]:
        parts.append(f"stat {q(f['stat'])} 2>/dev/null")
    if f["ls"]:
        parts.append(f"ls -1aU {q(f['ls'])} 2>/dev/null")
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
        # The runs that reached every host (exit 0, or 2: changes found): what the exec target is judged by.
        execs_ok = [c["execs"] for r in rs if r["rc"] in (0, 2) and not r.get("timed_out") for c in r["per_host"].values()]
        out.setdefault(tool, {})[scenario] = {
            "wall_s": stats([r["wall"] for r in rs if not r.get("timed_out")]),
            "timed_out": sum(1 for r in rs if r.get("timed_out")),
            "ctl_cpu_s": stats([r["ctl_cpu_s"] for r in rs]),
            "peak_rss_mib": stats([r["peak_rss_kib"] / 1024 for r in rs if r["peak_rss_kib"]]),
            "peak_threads": max((r.get("peak_threads", 0) for r in rs), default=0),
            "peak_fds": max((r.get("peak_fds", 0) for r in rs), default=0),
            "host_cpu_s": stats([sum(c["host_cpu_s"] for c in r["per_host"].values()) for r in rs]),
            "connections_per_host": {"min": min(conns), "max": max(conns)} if conns else None,
            "execs_per_host": {"min": min(execs), "max": max(execs)} if execs else None,
            "execs_per_host_ok_runs": {"min": min(execs_ok), "max": max(execs_ok)} if execs_ok else None,
            "failed_runs": sum(1 for r in rs if r["rc"] not in (0, 2) and not r.get("timed_out")),
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


MIN_RUNS = 5  # the issue: every figure the median of at least 5 runs


def group_title(g):
    play = "harden-inference.yml" if g["play"] == "harden" else CORPUS_ROLE
    link = f"+{2 * g['latency_ms']} ms round trip" if g["link"] == "slow" else "direct"
    return f"{play}, {g['hosts']} hosts, {link}"


def table(group):
    s = group["summary"]
    head = (f"\n### {group_title(group)} ({group['rounds']} rounds; n = runs behind each figure: "
            + ", ".join(f"{tool} {max((v['wall_s']['n'] for v in s[tool].values() if v['wall_s']), default=0)}" for tool in s) + ")\n\n"
            "| tool | first converge s | no-op rerun s | check s | conns/host (first, rerun, check) | execs/host (first, rerun, check) "
            "| controller CPU s (check) | peak RSS MiB (check) | host CPU s, all hosts (check) |\n"
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
    rows = []
    for tool in TOOLS:
        if tool not in s:
            continue
        t = s[tool]

        def cell(sc, k):
            if sc not in t:
                return "—"
            if t[sc]["timed_out"] and not t[sc][k]:
                return "over the limit"
            return fmt(t[sc][k])
        cnt = lambda k: ", ".join(rng(t[sc][k]) if sc in t else "—" for sc in SCENARIOS)
        c = t.get("check", {})
        fails = sum(t[sc]["failed_runs"] for sc in t)
        name = tool + (f" ({fails} failed runs)" if fails else "")
        rows.append(f"| {name} | {cell('first', 'wall_s')} | {cell('rerun', 'wall_s')} | {cell('check', 'wall_s')} | {cnt('connections_per_host')} "
                    f"| {cnt('execs_per_host')} | {fmt(c.get('ctl_cpu_s'))} | {fmt(c.get('peak_rss_mib'), digits=0)} | {fmt(c.get('host_cpu_s'))} |")
    notes = []
    m = s.get("moat", {})
    for other in ("floor", "files", "ansible-tuned", "ansible"):
        for sc in SCENARIOS:
            o = s.get(other, {}).get(sc, {}).get("wall_s")
            mm = m.get(sc, {}).get("wall_s")
            if mm and o:
                notes.append(f"{other} {sc} / moat {sc} = {o['median'] / mm['median']:.2f}" if other.startswith("ansible")
                             else f"moat {sc} / {other} = {mm['median'] / o['median']:.2f}")
    few = sorted({f"{tool} {sc} ({v['wall_s']['n']})" for tool in s for sc, v in s[tool].items()
                  if v["wall_s"] and v["wall_s"]["n"] < MIN_RUNS})
    out = head + "\n".join(rows) + ("\n\n" + "; ".join(notes) + "\n" if notes else "\n")
    if few:
        out += f"\nFewer than {MIN_RUNS} runs behind: {', '.join(few)} (the issue asks at least {MIN_RUNS}).\n"
    for d in group.get("dropped", []):
        out += f"\nAnsible limit: {d}.\n"
    if group.get("proxy_lateness_ms"):
        pl = group["proxy_lateness_ms"]
        out += (f"\nDelaying proxy: {pl['chunks']} chunks held {group['latency_ms']} ms each; lateness beyond that: median {pl['median']:.1f} ms, "
                f"p99 {pl['p99']:.1f} ms, max {pl['max']:.1f} ms.\n")
    return out


def request_list(d):
    """One host's exec requests as MOAT_SCRIPT_DUMP wrote them, in order: the command line and the
    script's first line, or 'withheld' (file contents or no_log: not stored)."""
    out = []
    for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        base, ext = os.path.splitext(name)
        if ext == ".withheld":
            out.append({"n": int(base), "withheld": True})
        elif ext == ".line":
            line = open(os.path.join(d, name), errors="replace").read()
            try:
                payload = open(os.path.join(d, base + ".in"), errors="replace").read(4096).split("\n")
            except OSError:
                payload = []
            lines = [l.strip() for l in payload[1:] if l.strip() and not l.startswith("#")]
            # The first line that says what the request does: past the wrapper every script starts with.
            head = next((l for l in lines if not re.match(r"^(\(|\)|T=\$\(mktemp|set -e|umask \d+;?$|trap |exec \d*[<>])", l)),
                        lines[0] if lines else "")
            out.append({"n": int(base), "line": line[:120], "head": head[:120]})
    return out


def requests_md(reqs):
    if not reqs:
        return ""
    items = [f"{r['n']}. " + ("withheld (file contents or no_log)" if r.get("withheld") else f"`{r['head'] or r['line']}`"[:100])
             for r in reqs]
    return f"moat's first converge, exec requests on h1 ({len(reqs)}): " + "; ".join(items) + "\n"


def requests_line(info):
    fc = info["files_floor_check"]
    exact = ("it reads exactly those files and nothing else (strace of both)" if not fc["missing"] and not fc["extra"]
             else f"it DIFFERS (strace): missing {fc['missing'][:10]}, extra {fc['extra'][:10]}")
    files = info["files_read"]
    return (f"moat's requests for a no-op check: {sum(info['script_bytes'])} bytes of script on stdin "
            f"({' + '.join(str(b) for b in info['script_bytes'])}), "
            f"{info['execs_per_host_no_op_check_dump']} exec request(s) per host, "
            f"host CPU {fmt(info['script_host_cpu_ms'], digits=0)} ms when run inside h1 "
            f"(per request, median: {', '.join(f'{v:.0f}' for v in info['script_host_cpu_ms_per_request'].values())}); "
            f"files it reads: {len(files['cat'])} read, {len(files['stat'])} stat'ed or looked up, {len(files['ls'])} listed; "
            f"the files floor: {exact}.\n")


def targets(groups):
    """The issue's targets, each with the figure of every group it applies to and PASS or MISS. A
    target measured at a host count it does not name is marked so (PASS* / MISS*)."""
    rows = []

    def med(g, tool, sc, k="wall_s"):
        v = g["summary"].get(tool, {}).get(sc, {}).get(k)
        return v["median"] if v else None

    def add(target, g, value, ok, named, shown):
        star = "" if named else "*"
        verdict = "not judged" if ok is None else ("PASS" if ok else "MISS") + star
        rows.append({"target": target, "where": group_title(g), "value": shown, "verdict": verdict,
                     "at_named_host_count": named})

    for g in groups:
        n, slow = g["hosts"], g["link"] == "slow"
        m, f, fl = med(g, "moat", "check"), med(g, "floor", "check"), med(g, "files", "check")
        if g["play"] == "harden":
            if m and f:
                add("no-op moat check ≤ 1.1× the OpenSSH floor of its own script (10 and 100 hosts)", g, m / f, m / f <= 1.1,
                    n in (10, 100), f"{m / f:.2f}× ({m:.2f} s / {f:.2f} s)")
            if m and fl and not slow:
                add("no-op moat check ≤ 1.5× the files-only floor (10 hosts)", g, m / fl, m / fl <= 1.5, n == 10,
                    f"{m / fl:.2f}× ({m:.2f} s / {fl:.2f} s)")
            at = med(g, "ansible-tuned", "check")
            if m and at and slow:
                add("tuned Ansible ≥ 30× moat's time, check, +50 ms round trip (10 hosts)", g, at / m, at / m >= 30, n == 10,
                    f"{at / m:.1f}× ({at:.2f} s / {m:.2f} s)")
            cpu, rss = med(g, "moat", "check", "ctl_cpu_s"), med(g, "moat", "check", "peak_rss_mib")
            if cpu is not None and not slow:
                add("controller ≤ 20 ms CPU per host, check (100 hosts)", g, cpu / n, cpu / n <= 0.020, n == 100,
                    f"{1000 * cpu / n:.0f} ms per host ({cpu:.2f} s)")
            if rss is not None and not slow:
                add("controller ≤ 256 MiB peak, check (100 hosts)", g, rss, rss <= 256, n == 100, f"{rss:.0f} MiB")
        mc = g["summary"].get("moat", {}).get("check", {})
        e = mc.get("execs_per_host_ok_runs")
        if e:
            left = f" ({mc['failed_runs']} failed run(s) left out: a host they did not reach)" if mc.get("failed_runs") else ""
            add("exactly 1 exec request per host for a no-op check (sshd's log)", g, e, e["min"] == e["max"] == 1, True,
                f"{rng(e)} per host{left}")
        elif mc.get("execs_per_host"):
            add("exactly 1 exec request per host for a no-op check (sshd's log)", g, None, None, True,
                f"no check reached every host ({rng(mc['execs_per_host'])} per host)")
    return rows


def targets_md(rows):
    if not rows:
        return "\n### Targets (issue 15)\n\nNo figure to judge a target by.\n"
    out = ["\n### Targets (issue 15)\n", "| target | measured in | figure | verdict |", "| --- | --- | --- | --- |"]
    out += [f"| {r['target']} | {r['where']} | {r['value']} | {r['verdict']} |" for r in rows]
    if any(not r["at_named_host_count"] for r in rows):
        out.append("\n\\* measured at a host count the target does not name: an indication, not the verdict.")
    return "\n".join(out) + "\n"


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((int(l.split()[1]) // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    return {"cpus": os.cpu_count(), "cpu": cpu, "mem_mib": mem, "kernel": platform.release(),
            "loadavg_at_start": open("/proc/loadavg").read().split()[:3]}


def main():
    ap = argparse.ArgumentParser(description="moat's benchmark (run it through tests/bench/converge)")
    ap.add_argument("--replay", help=argparse.SUPPRESS)
    ap.add_argument("--hosts", default="10,100", help="host counts, comma-separated (default 10,100: the issue's)")
    ap.add_argument("--rounds", type=int, default=5, help="rounds per setting; each figure is their median (default 5)")
    ap.add_argument("--latency", type=int, default=25, help="ms each way for the slow link (0: direct only; default 25 = 50 ms round trip)")
    ap.add_argument("--links", default="direct,slow", help="direct, slow or both (default both)")
    ap.add_argument("--plays", default=",".join(PLAYS), help="harden (playbooks/harden-inference.yml), corpus "
                    f"({CORPUS_ROLE} from ../shared/corpus or $MOAT_CORPUS), or both (default both)")
    ap.add_argument("--tools", default=",".join(TOOLS), help=f"subset of {','.join(TOOLS)}")
    ap.add_argument("--scenarios", default=",".join(SCENARIOS), help="subset of first,rerun,check (rerun and check run after a first converge that is timed only when asked for)")
    ap.add_argument("--ansible-scenarios", default=None, help="Ansible's scenarios, when fewer than --scenarios (its runs are long)")
    ap.add_argument("--ansible-rounds", type=int, default=None, help="Ansible only in the first K rounds (default: every round)")
    ap.add_argument("--ansible-max-hosts", type=int, default=None, help="run Ansible only up to this host count (default: no bound but --ansible-limit)")
    ap.add_argument("--ansible-limit", type=int, default=600, help="an Ansible run still going after this many seconds is ended, "
                    "and that Ansible (default or tuned) runs no more for that play at this or a larger host count (default 600: "
                    "the issue's 'Ansible only up to where one run finishes within 10 minutes')")
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
    plays = [p for p in a.plays.split(",") if p in PLAYS]
    corpus = corpus_dir()
    skipped = []
    if "corpus" in plays and not corpus:
        plays.remove("corpus")
        skipped.append(f"{CORPUS_ROLE}: skipped, no corpus (neither ../shared/corpus nor ../../shared/corpus from {ROOT}; set MOAT_CORPUS)")
        log(skipped[-1])
    if not plays:
        print("\n".join(skipped) or "bench: no play to run (--plays harden,corpus)")
        return
    hosts = sorted(int(x) for x in a.hosts.split(","))
    result = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "machine": machine(),
              "moat": a.moat, "plays": plays, "corpus": corpus, "skipped": skipped,
              "playbook": "playbooks/harden-inference.yml (tls: false, 2 vault services)",
              "ansible_playbook": "tests/bench/ansible/harden-inference.yml",
              "ansible": subprocess.run(["ansible-playbook", "--version"], capture_output=True, text=True).stdout.splitlines()[:1]
              if any(t.startswith("ansible") for t in tools) else None, "ansible_limit_s": a.ansible_limit, "groups": []}
    os.makedirs(os.path.dirname(a.json), exist_ok=True)
    # Untimed: a source checkout's launcher rebuilds a stale jar here, not inside a measured run.
    v = subprocess.run(a.moat.split() + ["--version"], capture_output=True, text=True)
    if v.returncode != 0:
        raise SystemExit(f"bench: {a.moat} --version failed: {v.stderr.strip()}")
    result["moat_version"] = v.stdout.strip()
    md = [f"moat benchmark, {result['date']}, {result['machine']['cpus']} CPUs ({result['machine']['cpu']}), "
          f"load average at start {' '.join(result['machine']['loadavg_at_start'])}. "
          "Figures: median (min–max) of the rounds, seconds."] + [f"\n{x}" for x in skipped]
    # (play, tool) -> why it runs no more: an Ansible run past --ansible-limit at some host count.
    dropped = {}
    try:
        for n in hosts:
            bed = Testbed(n, a.latency if "slow" in links else 0)
            for play_name in plays:
                play_t0 = time.monotonic()
                play = Play(play_name, bed.work, corpus)
                t = Tools(bed, a.moat.split(), a, play)
                # A converged state for the capture: moat apply, then the no-op check's requests recorded.
                bed.reset()
                conv_dump = os.path.join(bed.work, f"converge-dump-{play.name}")
                subprocess.run(["rm", "-rf", conv_dump])
                r = timed(t.moat_cmd("first", "direct"), env=dict(t.env, MOAT_SCRIPT_DUMP=conv_dump), stdout_path=t.logfile, cwd=play.cwd)
                if r["rc"] != 0:
                    raise SystemExit(f"bench: {play.name}: moat apply exited {r['rc']} (see {t.logfile})")
                t.capture()
                files = t.trace_files()
                for h in bed.hosts:
                    t.files_script[h["name"]] = files_script(files)
                files_check = t.check_files_floor(files)
                cpu, per_request = t.script_cpu()
                h1 = bed.hosts[0]["name"]
                info = {"play": play.label, "script_host_cpu_ms": stats(cpu), "script_host_cpu_ms_per_request": per_request,
                        "request_heads": [p.split("\n", 2)[1][:100] for _, p in t.captured[h1] if p.count("\n") >= 1],
                        "script_bytes": [len(p.encode()) for _, p in t.captured[h1]],
                        "execs_per_host_no_op_check_dump": len(t.captured[h1]), "files_read": files, "files_floor_check": files_check,
                        "converge_requests_h1": request_list(os.path.join(conv_dump, bed.hosts[0]["name"])),
                        "testbed_up_s": bed.up_seconds, "setup_apply": r, "capture_check": t.capture_run}
                log(f"{n} hosts, {play.name}: moat's no-op check sends {info['execs_per_host_no_op_check_dump']} exec request(s) per host; "
                    f"its script costs {fmt(info['script_host_cpu_ms'], digits=0)} ms of host CPU on h1; files floor "
                    + ("reads exactly its files" if not files_check["missing"] and not files_check["extra"] else f"differs: {files_check}"))
                use = [x for x in tools if not (x.startswith("ansible") and a.ansible_max_hosts is not None and n > a.ansible_max_hosts)]
                converging = [x for x in use if x not in ("floor", "files")]
                for link in links:
                    if link == "slow":
                        bed.proxy_lateness()  # starts the proxy's count afresh
                    runs = {}
                    converged = set()
                    for rnd in range(a.rounds):
                        this = [x for x in use if not (x.startswith("ansible") and a.ansible_rounds is not None and rnd >= a.ansible_rounds)]
                        order = this[rnd % len(this):] + this[:rnd % len(this)]
                        for tool in order:
                            if (play.name, tool) in dropped:
                                continue
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
                                if rr["timed_out"]:
                                    dropped[(play.name, tool)] = (f"{tool} {sc} at {n} hosts ({link}) still ran after {a.ansible_limit} s: "
                                                                  f"not run again for {play.name} at {n} hosts or more")
                                    log(dropped[(play.name, tool)])
                                    runs.setdefault((tool, sc), []).append(rr)
                                    break
                                if sc not in wanted.split(","):
                                    continue  # the converge the rerun and check need, not reported
                                runs.setdefault((tool, sc), []).append(rr)
                                log(f"{n} hosts {play.name} {link} round {rnd + 1}/{a.rounds}: {tool} {sc} {rr['wall']:.2f} s (exit {rr['rc']})")
                        if "floor" in order or "files" in order:
                            log(f"{n} hosts {play.name} {link} round {rnd + 1}/{a.rounds}: floors done")
                    group = {"hosts": n, "play": play.name, "link": link, "latency_ms": a.latency if link == "slow" else 0,
                             "rounds": a.rounds, "info": info, "summary": summarize(runs),
                             "dropped": [v for (p, _), v in dropped.items() if p == play.name],
                             "runs": {f"{k[0]}/{k[1]}": v for k, v in runs.items()}}
                    if link == "slow":
                        group["proxy_lateness_ms"] = bed.proxy_lateness()
                    result["groups"].append(group)
                    md.append(table(group))
                    md.append(requests_line(info))
                    if link == links[0]:
                        md.append(requests_md(info["converge_requests_h1"]))
                    result["targets"] = targets(result["groups"])
                    with open(a.json, "w") as f:
                        json.dump(result, f, indent=1)
                    with open(a.markdown, "w") as f:
                        f.write("\n".join(md + [targets_md(result["targets"])]) + "\n")
                info["elapsed_s"] = round(time.monotonic() - play_t0, 1)
                log(f"{n} hosts, {play.name}: {info['elapsed_s']:.0f} s in all (set-up, capture and every round)")
    finally:
        if not a.keep:
            log("testbed down")
            tb("down", check=False)
    result["targets"] = targets(result["groups"])
    md.append(targets_md(result["targets"]))
    with open(a.json, "w") as f:
        json.dump(result, f, indent=1)
    with open(a.markdown, "w") as f:
        f.write("\n".join(md) + "\n")
    print("\n".join(md))
    log(f"wrote {a.json} and {a.markdown}")
    failed = [f"{g['hosts']} hosts {g['play']} {g['link']}: {k} exited {r['rc']}" for g in result["groups"]
              for k, rs in g["runs"].items() for r in rs if r["rc"] not in (0, 2) and not r.get("timed_out")]
    if failed:
        log("failed runs (their output is in the testbed's bench/runs.log, kept with --keep): " + "; ".join(failed))
        sys.exit(1)

if __name__ == "__main__":
    main()
