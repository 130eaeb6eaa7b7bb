#!/usr/bin/env bash
# The systemd files, checked with systemd's own tools (no running systemd needed):
# `systemd-analyze verify` on the installed unit (its ExecStart binary must exist: run against the
# unpacked package), `systemd-analyze security` below a threshold, the sysusers.d entry applied to
# an empty root, the logrotate snippet parsed by logrotate.
source "$(dirname "$0")/lib.sh" "$@"
need systemd-analyze systemd-sysusers logrotate
make_debs
x=$tmp/x
dpkg-deb -x "$node_deb" "$x"

# verify checks the unit against this machine's systemd (targets, /bin/kill) and needs the
# ExecStart binary to exist: the unit is verified as installed, pointed at the unpacked binary.
sed "s|^ExecStart=/usr/bin/sluice |ExecStart=$x/usr/bin/sluice |" "$x/lib/systemd/system/sluice.service" \
  >"$tmp/sluice.service"
grep -q "^ExecStart=$x/usr/bin/sluice serve" "$tmp/sluice.service" || fail "ExecStart not found in the unit"
if ! out=$(systemd-analyze verify "$tmp/sluice.service" 2>&1); then
  fail "systemd-analyze verify: $out"
fi
[ -z "$out" ] || fail "systemd-analyze verify warned: $out"

# 1.5 when written (docs/installing.md); more than 2.0 means hardening was lost.
if ! out=$(systemd-analyze security --offline=true --threshold=20 "$x/lib/systemd/system/sluice.service" 2>&1); then
  fail "systemd-analyze security: $(echo "$out" | tail -3)"
fi
echo "$out" | tail -1
for key in Type=notify ExecReload=/bin/kill\ -HUP\ \$MAINPID User=sluice AmbientCapabilities=CAP_NET_BIND_SERVICE \
  RuntimeDirectory=sluice RuntimeDirectoryMode=0750 NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes \
  PrivateTmp=yes MemoryDenyWriteExecute=yes WatchdogSec=30s; do
  grep -qx "$key" "$x/lib/systemd/system/sluice.service" || fail "unit lacks $key"
done

sr=$tmp/sysroot
mkdir -p "$sr/etc" "$sr/usr/lib/sysusers.d"
cp "$x/usr/lib/sysusers.d/sluice.conf" "$sr/usr/lib/sysusers.d/"
systemd-sysusers --root="$sr" sluice.conf || fail "systemd-sysusers"
grep -q '^sluice:x:[0-9]*:[0-9]*:Sluice HTTP edge node:/var/lib/sluice:/usr/sbin/nologin$' "$sr/etc/passwd" ||
  fail "sysusers made: $(cat "$sr/etc/passwd")"

# The snippet as logrotate reads it (its su/create user made root: there is no sluice user here).
sed 's/sluice sluice/root root/g' "$x/etc/logrotate.d/sluice" >"$tmp/logrotate.conf"
out=$(logrotate -d -s "$tmp/state" "$tmp/logrotate.conf" 2>&1) || fail "logrotate: $out"
echo "$out" | grep -q '^error' && fail "logrotate: $out"
echo "ok"
