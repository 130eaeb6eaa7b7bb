#!/usr/bin/env bash
# The two packages: file names, control fields (Package, Version, Architecture, Depends from
# shlibdeps, Conffiles, maintainer scripts) and file lists.
source "$(dirname "$0")/lib.sh" "$@"
make_debs
arch=$(dpkg --print-architecture)
[ "$(basename "$node_deb")" = "sluice_${version}_${arch}.deb" ] || fail "node package is named $(basename "$node_deb")"

field() { dpkg-deb -f "$1" "$2"; }
[ "$(field "$node_deb" Package)" = sluice ] || fail "Package: $(field "$node_deb" Package)"
[ "$(field "$node_deb" Version)" = "$version" ] || fail "Version: $(field "$node_deb" Version)"
[ "$(field "$node_deb" Architecture)" = "$arch" ] || fail "Architecture: $(field "$node_deb" Architecture)"
depends=$(field "$node_deb" Depends)
# From dpkg-shlibdeps: the libraries the node links.
for lib in libc6 libuv1 liblmdb0 libsystemd0 libssl3 libyaml-cpp0.7 libfmt9 libstdc++6; do
  echo "$depends" | grep -q "\b$lib\b" || fail "Depends lacks $lib: $depends"
done
echo "$depends" | grep -q "libqt6" && fail "the node package depends on Qt: $depends"

control=$tmp/control
dpkg-deb -e "$node_deb" "$control"
[ "$(cat "$control/conffiles")" = "$(printf '/etc/sluice/sluice.yaml\n/etc/logrotate.d/sluice')" ] ||
  fail "conffiles: $(cat "$control/conffiles")"
for script in postinst prerm postrm; do
  [ -x "$control/$script" ] || fail "no executable $script"
  sh -n "$control/$script" || fail "$script does not parse"
done

files=$(dpkg-deb -c "$node_deb" | awk '{print $6}' | sed 's|^\./|/|')
for f in /usr/bin/sluice /etc/sluice/sluice.yaml /lib/systemd/system/sluice.service \
  /usr/lib/sysusers.d/sluice.conf /usr/lib/tmpfiles.d/sluice.conf /etc/logrotate.d/sluice \
  /usr/share/doc/sluice/README.md /usr/share/doc/sluice/installing.md /usr/share/doc/sluice/config-reference.md; do
  echo "$files" | grep -qx "$f" || fail "sluice package lacks $f"
done
echo "$files" | grep -q sluice-console && fail "the console is in the node package"
listing=$(dpkg-deb -c "$node_deb")
config_line=$(echo "$listing" | grep ' ./etc/sluice/sluice.yaml$' || true)
[ -n "$config_line" ] || fail "config not found in the listing"
case "$config_line" in -rw-r-----*) ;; *) fail "config mode: $config_line" ;; esac
# Stripped binaries (CPACK_STRIP_FILES): no debug sections shipped.
dpkg-deb -x "$node_deb" "$tmp/x"
kind=$(file "$tmp/x/usr/bin/sluice")
case "$kind" in *"not stripped"*) fail "$kind" ;; *stripped*) ;; *) fail "$kind" ;; esac

if [ "$console_built" = 1 ]; then
  [ "$(basename "$console_deb")" = "sluice-console_${version}_${arch}.deb" ] || fail "console package: $console_deb"
  [ "$(field "$console_deb" Package)" = sluice-console ] || fail "console Package"
  [ "$(field "$console_deb" Version)" = "$version" ] || fail "console Version"
  cdeps=$(field "$console_deb" Depends)
  for lib in libqt6core6 libqt6widgets6 libqt6network6 libqt6charts6 libc6; do
    echo "$cdeps" | grep -q "\b$lib\b" || fail "console Depends lacks $lib: $cdeps"
  done
  cfiles=$(dpkg-deb -c "$console_deb" | awk '{print $6}' | sed 's|^\./|/|')
  for f in /usr/bin/sluice-console /usr/share/applications/sluice-console.desktop \
    /usr/share/icons/hicolor/scalable/apps/sluice-console.svg; do
    echo "$cfiles" | grep -qx "$f" || fail "sluice-console package lacks $f"
  done
  echo "$cfiles" | grep -qx /usr/bin/sluice && fail "the node is in the console package"
else
  [ -z "$console_deb" ] || fail "a console package from a build without the console"
fi
echo "ok: $(basename "$node_deb") ${console_deb:+$(basename "$console_deb")}"
