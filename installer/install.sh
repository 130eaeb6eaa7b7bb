#!/usr/bin/env bash
# Installs Sluice from a build tree on a machine without the .deb (docs/installing.md, "Without
# the package"), and takes it out again.
#
#   installer/install.sh [--build DIR] [--prefix DIR] [--destdir DIR] [--no-start]
#   installer/install.sh --uninstall [--purge] [--prefix DIR] [--destdir DIR]
#
# --build    the build tree (default: ./build next to this script's folder)
# --prefix   where binaries, docs, the .desktop entry and the icon go (default /usr/local)
# --destdir  install under this folder instead of / (an image or a test): nothing outside it is
#            touched, no user is created, no service is started
# --no-start enable the service but do not start it
# --uninstall removes what the install put there (listed in PREFIX/share/sluice/install-manifest);
#            the config stays when it was changed since, the data (/var/lib/sluice) and logs
#            (/var/log/sluice) stay; --purge removes those too. The user sluice stays.
#
# The files are those of the packages (CMake's install rules, components node and console); the
# system ones move to the admin's folders: the unit to /etc/systemd/system (its ExecStart pointing
# at PREFIX/bin/sluice), sysusers.d and tmpfiles.d snippets to /etc. An existing
# /etc/sluice/sluice.yaml is never overwritten.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

build="$here/build"
prefix=/usr/local
root=""
start=1
mode=install
purge=0
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --build=*) build=${1#*=}; shift ;;
    --prefix) prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#*=}; shift ;;
    --destdir) root=$2; shift 2 ;;
    --destdir=*) root=${1#*=}; shift ;;
    --no-start) start=0; shift ;;
    --uninstall) mode=uninstall; shift ;;
    --purge) purge=1; shift ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option '$1' (--help)" >&2; exit 2 ;;
  esac
done
case "$prefix" in /*) ;; *) echo "install.sh: --prefix must be absolute" >&2; exit 2 ;; esac
if [ -n "$root" ]; then
  mkdir -p "$root"
  root=$(cd "$root" && pwd)
fi
prefix=${prefix%/}
manifest_path="$prefix/share/sluice/install-manifest"
manifest="$root$manifest_path"
config=/etc/sluice/sluice.yaml
leftover=/etc/sluice/.install-folders  # kept next to a changed config by --uninstall
unit=sluice.service
# System integration (user, folders, systemd) only on the real root, as root.
system=0
if [ -z "$root" ] && [ "$(id -u)" = 0 ]; then system=1; fi
systemd_running() { [ "$system" = 1 ] && [ -d /run/systemd/system ]; }

# Creates the folders of path $1 (under $root) that are missing, recording each in the manifest
# (outermost first) so that the uninstall removes exactly those.
make_parents() {
  local dir=$1 missing=()
  while [ "$dir" != "/" ] && [ ! -d "$root$dir" ]; do
    missing=("$dir" "${missing[@]}")
    dir=$(dirname "$dir")
  done
  local d
  for d in "${missing[@]}"; do
    mkdir -m 0755 "$root$d"
    echo "d $d" >>"$new_manifest"
  done
}

do_install() {
  [ -x "$build/bin/sluice" ] || { echo "install.sh: no $build/bin/sluice: build first (scripts/build.sh)" >&2; exit 1; }
  if [ -f "$manifest" ]; then
    echo "install.sh: $prefix already holds an install (${manifest_path}); run --uninstall first" >&2
    exit 1
  fi
  stage=$(mktemp -d)
  trap 'rm -rf "$stage"' EXIT
  local components=(node)
  [ -x "$build/bin/sluice-console" ] && components+=(console)
  local c
  for c in "${components[@]}"; do
    DESTDIR="$stage" cmake --install "$build" --prefix "$prefix" --component "$c" --strip >/dev/null
  done
  # The Debian locations become the admin's.
  mkdir -p "$stage/etc/systemd/system" "$stage/etc/sysusers.d" "$stage/etc/tmpfiles.d"
  sed "s|^ExecStart=/usr/bin/sluice |ExecStart=$prefix/bin/sluice |" "$stage/lib/systemd/system/$unit" \
    >"$stage/etc/systemd/system/$unit"
  mv "$stage/usr/lib/sysusers.d/sluice.conf" "$stage/etc/sysusers.d/sluice.conf"
  mv "$stage/usr/lib/tmpfiles.d/sluice.conf" "$stage/etc/tmpfiles.d/sluice.conf"
  rm -f "$stage/lib/systemd/system/$unit"
  find "$stage" -depth -type d -empty -delete

  new_manifest=$(mktemp)
  # Folders an earlier install created and its uninstall had to keep (for a changed config) are
  # still ours: this install takes them over, so that a later uninstall can remove them.
  if [ -f "$root$leftover" ]; then
    cat "$root$leftover" >>"$new_manifest"
    rm -f "$root$leftover"
  fi
  local f
  while IFS= read -r f; do
    f=${f#.}
    if [ "$f" = "$config" ] && [ -e "$root$f" ]; then
      if cmp -s "$stage$f" "$root$f"; then
        echo "c $(sha256sum <"$root$f" | cut -d' ' -f1) $f" >>"$new_manifest"
      else
        echo "install.sh: keeping your $f (the shipped one is in $prefix/share/doc/sluice/ as sluice.yaml)"
      fi
      continue
    fi
    make_parents "$(dirname "$f")"
    cp -p "$stage$f" "$root$f"
    if [ "$f" = "$config" ]; then
      echo "c $(sha256sum <"$root$f" | cut -d' ' -f1) $f" >>"$new_manifest"
    else
      echo "f $f" >>"$new_manifest"
    fi
  done < <(cd "$stage" && find . -type f | sort)
  make_parents "$(dirname "$manifest_path")"
  cp -p "$stage$config" "$root$prefix/share/doc/sluice/sluice.yaml"
  echo "f $prefix/share/doc/sluice/sluice.yaml" >>"$new_manifest"
  echo "f $manifest_path" >>"$new_manifest"
  mv "$new_manifest" "$manifest"
  chmod 0644 "$manifest"

  if [ "$system" = 1 ]; then
    if command -v systemd-sysusers >/dev/null; then
      systemd-sysusers /etc/sysusers.d/sluice.conf
    elif ! getent passwd sluice >/dev/null; then
      useradd --system --user-group --home-dir /var/lib/sluice --no-create-home --shell /usr/sbin/nologin sluice
    fi
    if command -v systemd-tmpfiles >/dev/null; then
      systemd-tmpfiles --create /etc/tmpfiles.d/sluice.conf >/dev/null || true
    else
      install -d -m 0750 -o sluice -g sluice /var/lib/sluice /var/log/sluice
    fi
    for p in /etc/sluice "$config"; do
      if [ "$(stat -c %u "$p")" = 0 ]; then chown sluice:sluice "$p"; fi
    done
    if systemd_running; then
      systemctl daemon-reload
      if [ "$start" = 1 ]; then systemctl enable --now "$unit"; else systemctl enable "$unit"; fi
    fi
  fi
  echo "install.sh: installed into ${root:-/} (prefix $prefix); uninstall with: $0 --uninstall --prefix $prefix${root:+ --destdir $root}"
}

do_uninstall() {
  if [ ! -f "$manifest" ]; then
    echo "install.sh: nothing installed with prefix $prefix${root:+ under $root} (no $manifest_path)" >&2
    exit 1
  fi
  if systemd_running; then
    systemctl disable --now "$unit" >/dev/null 2>&1 || true
  fi
  local kind a b dirs=() kept=0
  while read -r kind a b; do
    case "$kind" in
      f) rm -f "$root$a" ;;
      c)  # the config: removed when unchanged since the install, or with --purge
        if [ "$purge" = 1 ] || [ "$(sha256sum <"$root$b" 2>/dev/null | cut -d' ' -f1)" = "$a" ]; then
          rm -f "$root$b"
        else
          echo "install.sh: keeping your changed $b (--purge removes it)"
          kept=1
        fi ;;
      d) dirs=("$a" "${dirs[@]}") ;;
    esac
  done <"$manifest"
  if [ "$purge" = 1 ]; then
    rm -rf "$root/var/lib/sluice" "$root/var/log/sluice" "$root/run/sluice" "$root$config" \
      "$root/etc/sluice/.sluice.yaml.tmp-"*
  fi
  local d
  for d in "${dirs[@]}"; do
    rmdir "$root$d" 2>/dev/null || true  # a folder that holds files of someone else's stays
  done
  if [ "$kept" = 1 ]; then
    for d in "${dirs[@]}"; do
      if [ -d "$root$d" ]; then echo "d $d"; fi
    done | tac >"$root$leftover"
  fi
  if systemd_running; then
    systemctl daemon-reload
  fi
  echo "install.sh: uninstalled from ${root:-/} (prefix $prefix)"
}

if [ "$mode" = install ]; then do_install; else do_uninstall; fi
