#!/bin/bash
# Records community.general.timezone's answers (changed, diff) on testbed host h2 for set-ups of /etc/timezone and /etc/localtime.
INV=/tmp/tbsys-testbed/inventory.yml
S="ssh -i /tmp/tbsys-testbed/id_ed25519 -o UserKnownHostsFile=/tmp/tbsys-testbed/known_hosts root@10.82.0.12"
run() { # name setup zone
  $S "$2" >/dev/null
  out=$(ANSIBLE_LOAD_CALLBACK_PLUGINS=1 ANSIBLE_STDOUT_CALLBACK=json ansible h2 -i $INV -m community.general.timezone -a "name=$3" --check --diff 2>/dev/null)
  echo "$out" | /usr/bin/python3 -c "
import json,sys; d=json.load(sys.stdin); r=d['plays'][0]['tasks'][0]['hosts']['h2']
print(json.dumps({'case': '$1', 'zone': '$3', 'changed': r.get('changed'), 'failed': r.get('failed', False), 'msg': r.get('msg'), 'diff': r.get('diff')}))"
}
B='printf "Etc/UTC\n" > /etc/timezone; ln -sfn /usr/share/zoneinfo/Etc/UTC /etc/localtime'
run same "$B" Etc/UTC
run other "$B" Europe/Paris
run link-differs 'printf "Europe/Paris\n" > /etc/timezone; ln -sfn /usr/share/zoneinfo/Etc/UTC /etc/localtime' Europe/Paris
run link-elsewhere 'printf "Europe/Paris\n" > /etc/timezone; ln -sfn /tmp/x /etc/localtime' Europe/Paris
run broken-link 'printf "Europe/Paris\n" > /etc/timezone; ln -sfn /usr/share/zoneinfo/Nowhere /etc/localtime' Europe/Paris
run copied-same 'printf "Europe/Paris\n" > /etc/timezone; rm -f /etc/localtime; cp /usr/share/zoneinfo/Europe/Paris /etc/localtime' Europe/Paris
run copied-differs 'printf "Europe/Paris\n" > /etc/timezone; rm -f /etc/localtime; cp /usr/share/zoneinfo/Etc/UTC /etc/localtime' Europe/Paris
run no-config 'rm -f /etc/timezone; ln -sfn /usr/share/zoneinfo/Europe/Paris /etc/localtime' Europe/Paris
run indented-config 'printf "  # c\n\nEurope/Paris extra\nUTC\n" > /etc/timezone; ln -sfn /usr/share/zoneinfo/Europe/Paris /etc/localtime' Europe/Paris
run unknown "$B" Mars/Olympus
$S "$B"
