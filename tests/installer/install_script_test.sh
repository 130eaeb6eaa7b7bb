#!/usr/bin/env bash
# installer/install.sh into a temp root and back out: the files where they belong (the unit's
# ExecStart at the prefix), the installed binary runs; --uninstall leaves nothing of ours (a changed
# config stays until --purge).
source "$(dirname "$0")/lib.sh" "$@"
need cmake sha256sum
r=$tmp/root
mkdir -p "$r"
install_sh() { bash "$src/installer/install.sh" --build "$build" --prefix /opt/sluice --destdir "$r" "$@" >"$tmp/out" 2>&1 ||
  { cat "$tmp/out" >&2; fail "install.sh $*"; }; }

install_sh
for f in /opt/sluice/bin/sluice /etc/sluice/sluice.yaml /etc/systemd/system/sluice.service \
  /etc/sysusers.d/sluice.conf /etc/tmpfiles.d/sluice.conf /etc/logrotate.d/sluice \
  /opt/sluice/share/doc/sluice/installing.md /opt/sluice/share/sluice/install-manifest; do
  [ -f "$r$f" ] || fail "install.sh did not install $f"
done
if [ "$console_built" = 1 ]; then
  for f in /opt/sluice/bin/sluice-console /opt/sluice/share/applications/sluice-console.desktop \
    /opt/sluice/share/icons/hicolor/scalable/apps/sluice-console.svg; do
    [ -f "$r$f" ] || fail "install.sh did not install $f"
  done
fi
[ ! -e "$r/lib" ] && [ ! -e "$r/usr" ] || fail "install.sh put files outside the prefix and /etc: $(cd "$r" && find lib usr 2>/dev/null | head)"
grep -qx 'ExecStart=/opt/sluice/bin/sluice serve --config /etc/sluice/sluice.yaml' "$r/etc/systemd/system/sluice.service" ||
  fail "ExecStart: $(grep ExecStart "$r/etc/systemd/system/sluice.service")"
[ "$("$r/opt/sluice/bin/sluice" version)" = "sluice $version" ] || fail "installed sluice version"
"$r/opt/sluice/bin/sluice" check --config "$r/etc/sluice/sluice.yaml" >/dev/null || fail "installed config"
bash "$src/installer/install.sh" --build "$build" --prefix /opt/sluice --destdir "$r" >/dev/null 2>&1 &&
  fail "a second install over the first was not refused"

install_sh --uninstall
left=$(cd "$r" && find . -mindepth 1)
[ -z "$left" ] || fail "--uninstall left: $left"

# A changed config survives --uninstall and a reinstall; --purge removes it.
install_sh
echo "# mine" >>"$r/etc/sluice/sluice.yaml"
install_sh --uninstall
left=$(cd "$r" && find . -mindepth 1 -type f | sort | tr '\n' ' ')
# The config, and the note of the folders kept for it (the next install or --purge takes them).
[ "$left" = "./etc/sluice/.install-folders ./etc/sluice/sluice.yaml " ] ||
  fail "--uninstall with a changed config left: $left"
install_sh
tail -1 "$r/etc/sluice/sluice.yaml" | grep -qx '# mine' || fail "a reinstall replaced the changed config"
mkdir -p "$r/var/lib/sluice/config-history" && echo v1 >"$r/var/lib/sluice/config-history/v1.yaml"
install_sh --uninstall --purge
left=$(cd "$r" && find . -mindepth 1 ! -path ./var ! -path ./var/lib)  # var/lib: made by this test
[ -z "$left" ] || fail "--uninstall --purge left: $left"
echo "ok"
