s() { printf '\n@@%s\n' "$1"; }
if command -v nvidia-smi >/dev/null 2>&1; then
  s smi-query; nvidia-smi --query-gpu=index,name,uuid,memory.total,driver_version,persistence_mode,mig.mode.current,pci.bus_id --format=csv,noheader,nounits 2>&1; echo "rc=$?"
  s smi-header; nvidia-smi 2>/dev/null | grep -m1 'CUDA Version'
fi
s nvidia-version; cat /proc/driver/nvidia/version 2>/dev/null
for i in /proc/driver/nvidia/gpus/*/information; do [ -r "$i" ] && { s "proc-gpu $i"; cat "$i"; }; done
s lspci; command -v lspci >/dev/null 2>&1 && lspci -D -nn -d 10de: 2>/dev/null
for c in /sys/class/drm/card*; do
  case "${c##*/}" in *-*) continue ;; esac
  [ -r "$c/device/vendor" ] || continue
  s "drm ${c##*/}"; printf 'card=%s\nvendor=%s\ndevice=%s\nslot=%s\n' "${c##*/}" "$(cat "$c/device/vendor" 2>/dev/null)" "$(cat "$c/device/device" 2>/dev/null)" "$(basename "$(readlink -f "$c/device")")"
done
true
