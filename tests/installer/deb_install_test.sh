#!/usr/bin/env bash
# The packages installed into throwaway roots. dpkg-deb -x: the installed `sluice version` and
# `sluice check` of the packaged config. dpkg --root with --force-script-chrootless (the maintainer
# scripts run on this machine with DPKG_ROOT set, as they do for image builders): the sluice user,
# its folders, the config's owner, the unit enabled; an upgrade keeps a changed config; remove keeps
# config and data; purge removes them. No systemd needs to run (nothing is started).
source "$(dirname "$0")/lib.sh" "$@"
need dpkg systemd-sysusers systemd-tmpfiles deb-systemd-helper desktop-file-validate
make_debs

# --- dpkg-deb -x: run what was installed
x=$tmp/x
dpkg-deb -x "$node_deb" "$x"
out=$("$x/usr/bin/sluice" version) || fail "installed sluice version: $out"
[ "$out" = "sluice $version" ] || fail "version printed '$out'"
out=$("$x/usr/bin/sluice" check --config "$x/etc/sluice/sluice.yaml" 2>&1) || fail "packaged config: $out"
[ "$out" = "$x/etc/sluice/sluice.yaml: ok" ] || fail "check printed '$out'"
grep -q '^  socket: /run/sluice/control.sock' "$x/etc/sluice/sluice.yaml" || fail "config's control socket"
grep -q '^  path: /var/lib/sluice/cache' "$x/etc/sluice/sluice.yaml" || fail "config's cache path"
grep -q '^  access_log: /var/log/sluice/access.log' "$x/etc/sluice/sluice.yaml" || fail "config's access log"
if [ "$console_built" = 1 ]; then
  dpkg-deb -x "$console_deb" "$x"
  desktop-file-validate "$x/usr/share/applications/sluice-console.desktop" || fail "desktop entry"
  grep -qx 'Exec=sluice-console' "$x/usr/share/applications/sluice-console.desktop" || fail "desktop Exec"
  grep -q '<svg' "$x/usr/share/icons/hicolor/scalable/apps/sluice-console.svg" || fail "icon"
  QT_QPA_PLATFORM=offscreen "$x/usr/bin/sluice-console" --version | grep -q "$version" || fail "console --version"
fi

# --- dpkg --root: the maintainer scripts
r=$tmp/root
mkdir -p "$r/var/lib/dpkg/info" "$r/var/lib/dpkg/updates" "$r/etc"
: >"$r/var/lib/dpkg/status"
dpkg_root() {
  # --force-depends: the root holds no libraries (the binaries are not run from it here).
  dpkg --root="$r" --force-script-chrootless --force-depends --log=/dev/null "$@" >"$tmp/dpkg.log" 2>&1 ||
    { cat "$tmp/dpkg.log" >&2; fail "dpkg $*"; }
}
dpkg_root -i "$node_deb"
uid=$(awk -F: '$1 == "sluice" { print $3 }' "$r/etc/passwd")
gid=$(awk -F: '$1 == "sluice" { print $3 }' "$r/etc/group")
[ -n "$uid" ] && [ -n "$gid" ] || fail "no sluice user/group in the root: $(cat "$r/etc/passwd" 2>/dev/null)"
[ "$uid" -lt 1000 ] || fail "sluice is not a system user (uid $uid)"
grep -q '^sluice:.*:/usr/sbin/nologin$' "$r/etc/passwd" || fail "sluice's shell: $(grep sluice "$r/etc/passwd")"
owner() { stat -c '%u:%g %a' "$1"; }
for d in /var/lib/sluice /var/log/sluice /run/sluice; do
  [ "$(owner "$r$d")" = "$uid:$gid 750" ] || fail "$d is $(owner "$r$d")"
done
[ "$(owner "$r/etc/sluice")" = "$uid:$gid 750" ] || fail "/etc/sluice is $(owner "$r/etc/sluice")"
[ "$(owner "$r/etc/sluice/sluice.yaml")" = "$uid:$gid 640" ] || fail "config is $(owner "$r/etc/sluice/sluice.yaml")"
[ -L "$r/etc/systemd/system/multi-user.target.wants/sluice.service" ] || fail "the unit is not enabled"

# Upgrade (the same version again runs the upgrade path): a changed config is kept.
echo "# changed by the admin" >>"$r/etc/sluice/sluice.yaml"
mkdir -p "$r/var/lib/sluice/cache" && echo data >"$r/var/lib/sluice/cache/x"
dpkg_root -i "$node_deb"
tail -1 "$r/etc/sluice/sluice.yaml" | grep -q 'changed by the admin' || fail "upgrade replaced the changed config"

# Remove: binary and unit gone; config, data and user kept.
dpkg_root -r sluice
[ ! -e "$r/usr/bin/sluice" ] || fail "remove left /usr/bin/sluice"
[ ! -e "$r/lib/systemd/system/sluice.service" ] || fail "remove left the unit"
[ -f "$r/etc/sluice/sluice.yaml" ] || fail "remove deleted the config"
[ -f "$r/var/lib/sluice/cache/x" ] || fail "remove deleted the data"

# Purge: config, data, logs gone; the enable link gone.
dpkg_root --purge sluice
for p in /etc/sluice /var/lib/sluice /var/log/sluice /run/sluice /etc/systemd/system/multi-user.target.wants/sluice.service; do
  [ ! -e "$r$p" ] && [ ! -L "$r$p" ] || fail "purge left $p"
done
grep -q '^sluice:' "$r/etc/passwd" || fail "purge removed the system user (Debian keeps it)"
echo "ok"
