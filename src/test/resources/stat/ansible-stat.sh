#!/bin/sh
# Makes the fixtures of StatAnsibleComparisonTest: creates sample paths under $1 (default
# /tmp/moat-stat) and saves what Ansible's stat module returns for each as CASE.json here.
# Run as root on a machine with Ansible (Debian's ansible 2.14): sh ansible-stat.sh
# StatAnsibleComparisonTest recreates the same paths (samples() below) and compares moat's answer.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
d=${1:-/tmp/moat-stat}
rm -rf "$d"
mkdir -p "$d/dir"
chmod 0755 "$d/dir"
printf 'hello\n' > "$d/file.txt"; chmod 0644 "$d/file.txt"
ln -s file.txt "$d/link"
ln -s missing-target "$d/dangling"
printf '#!/bin/sh\n' > "$d/setuid"; chmod 4755 "$d/setuid"
mkfifo "$d/fifo"; chmod 0640 "$d/fifo"
printf 'secret\n' > "$d/nobody.txt"; chown nobody:nogroup "$d/nobody.txt"; chmod 0600 "$d/nobody.txt"

run() { # CASE ARGS: Ansible's stat result (stat and failed/msg) for ARGS into CASE.json
    name=$1; shift
    ANSIBLE_STDOUT_CALLBACK=json ANSIBLE_LOAD_CALLBACK_PLUGINS=1 ANSIBLE_LOCALHOST_WARNING=0 \
        ansible localhost -i localhost, -c local -m stat -a "$*" > "$here/raw.json" || true
    python3 - "$here/raw.json" "$here/$name.json" "$d" "$*" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["plays"][0]["tasks"][0]["hosts"]["localhost"]
out = {k: r[k] for k in ("failed", "msg", "stat") if k in r}
out["failed"] = bool(out.get("failed", False))
out["base"] = sys.argv[3]
out["case"] = sys.argv[4]
json.dump(out, open(sys.argv[2], "w"), indent=2, sort_keys=True)
open(sys.argv[2], "a").write("\n")
PY
    rm -f "$here/raw.json"
}
all='get_mime=true get_attributes=true'
run file "path=$d/file.txt $all"
run file-sha256 "path=$d/file.txt checksum_algorithm=sha256 $all"
run file-bare "path=$d/file.txt get_checksum=false get_mime=false get_attributes=false"
run file-aliases "dest=$d/file.txt checksum=md5 mime=false attr=false"
run dir "path=$d/dir $all"
run link "path=$d/link $all"
run link-follow "path=$d/link follow=true $all"
run dangling "path=$d/dangling $all"
run dangling-follow "path=$d/dangling follow=true $all"
run missing "path=$d/missing $all"
run setuid "path=$d/setuid $all"
run fifo "path=$d/fifo $all"
run nobody "path=$d/nobody.txt $all"
run devnull "path=/dev/null $all"
run notdir "path=$d/file.txt/sub $all"

# The same through a playbook with register: what its tasks see, into registered.json.
sed "s#TMP#$d#g" "$here/registered.yml" > "$d/play.yml"
ANSIBLE_LOCALHOST_WARNING=0 ansible-playbook -i localhost, -c local "$d/play.yml" > /dev/null
cp "$d/registered.json" "$here/registered.json"
