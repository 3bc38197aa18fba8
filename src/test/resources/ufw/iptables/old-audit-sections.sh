sec docker-user
if have iptables; then out=$(iptables -w 5 -S DOCKER-USER 2>&1) && printf '%s\n' "$out" || echo "@@error $(first "$out")"
else echo '@@missing iptables'; fi
sec ufw
if ! have ufw; then echo '@@missing ufw'
else u=; while read -r k v _; do case $k in Uid:) u=$v; break;; esac; done </proc/self/status
  if [ "$u" = 0 ] && have iptables && o=$(iptables -w 5 -S 2>&1); then
    a=active; for d in input output forward; do case "$o
" in *"-N ufw-user-$d
"*) ;; *) a=inactive;; esac; done
    echo "Status: $a"
    if [ $a = active ]; then v=; if [ -r /etc/default/ufw ]; then while IFS= read -r l || [ -n "$l" ]; do case $l in IPV6=*) v=${l#IPV6=};; esac; done </etc/default/ufw; fi
      f=/etc/ufw/user.rules; case $v in [Yy][Ee][Ss]|\"[Yy][Ee][Ss]\") f="$f /etc/ufw/user6.rules";; esac
      grep -h '^### tuple ### ' $f 2>/dev/null; fi
  else out=$(ufw status 2>&1) && printf '%s\n' "$out" || echo "@@error $(first "$out")"; fi
fi
