command -v ufw >/dev/null 2>&1 || { echo missing; exit 0; }
u=; while read -r k v _; do case $k in Uid:) u=$v; break;; esac; done </proc/self/status
[ "$u" = 0 ] || { echo notroot; exit 0; }
e=; v=
if [ -r /etc/ufw/ufw.conf ]; then while IFS= read -r l || [ -n "$l" ]; do case $l in ENABLED=*) e=${l#ENABLED=};; esac; done </etc/ufw/ufw.conf; fi
if [ -r /etc/default/ufw ]; then while IFS= read -r l || [ -n "$l" ]; do case $l in IPV6=*) v=${l#IPV6=};; esac; done </etc/default/ufw; fi
echo "enabled $e"; echo "ipv6 $v"
chains() {
  o=$($2 -S 2>&1); r=$?
  if [ $r != 0 ]; then echo "$o" >&2; echo "list$1 - $r"; exit 0; fi
  for d in input output forward; do
    case "$o
" in *"-N $3-$d
"*) echo "chain$1 $d 0";; *) echo "chain$1 $d 1"; exit 0;; esac
  done
}
x=/usr/sbin/iptables; [ -x $x ] || x=iptables
y=/usr/sbin/ip6tables; [ -x $y ] || y=ip6tables
chains 4 $x ufw-user
case $v in [Yy][Ee][Ss]|\"[Yy][Ee][Ss]\") [ ! -e /proc/sys/net/ipv6 ] || chains 6 $y ufw6-user;; esac
