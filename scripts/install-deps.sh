#!/usr/bin/env bash
# Installs every Debian package the build, the tests and the benchmarks need, and unpacks llhttp's
# generated C sources (Debian's node-llhttp) into .deps/ without pulling in nodejs.
# Idempotent: a second run installs nothing and returns quickly.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

build_pkgs=(build-essential cmake ninja-build pkg-config git ca-certificates
  libuv1-dev libssl-dev liblmdb-dev libyaml-cpp-dev nlohmann-json3-dev libfmt-dev
  zlib1g-dev libbrotli-dev libzstd-dev libsystemd-dev
  qt6-base-dev qt6-charts-dev libgl-dev
  libqt6opengl6-dev)
# libqt6opengl6-dev is only a Recommends of qt6-base-dev, but Qt6Charts' CMake package needs its
# Qt6OpenGL config; installs without recommends (as here) miss it otherwise.
# tests/installer: dpkg-dev (dpkg-shlibdeps for CPack), file (CPack finds the ELF files with it),
# systemd (systemd-analyze verify/security, systemd-sysusers/-tmpfiles), logrotate and
# desktop-file-utils (their files are checked).
test_pkgs=(curl python3 xvfb xauth nginx-light haproxy wrk slowhttptest procps util-linux
  dpkg-dev file systemd logrotate desktop-file-utils)
# The peers of tests/bench/ beyond the test packages (varnish compiles its VCL with gcc).
bench_pkgs=(varnish)

want=("${build_pkgs[@]}")
case "${1:-}" in
  --with-tests) want+=("${test_pkgs[@]}") ;;
  --with-bench) want+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # nginx-light, haproxy and varnish start a system service on install; the tests and benchmarks
  # run their own instances.
  for svc in nginx haproxy varnish varnishncsa; do systemctl disable --now "$svc" >/dev/null 2>&1 || service "$svc" stop >/dev/null 2>&1 || true; done
fi

llhttp_dir="$here/.deps/llhttp"
if [ ! -f "$llhttp_dir/usr/share/llhttp/llhttp.c" ]; then
  echo "install-deps: unpacking node-llhttp into .deps/llhttp"
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download node-llhttp >/dev/null 2>&1 || { apt-get update -qq && apt-get download node-llhttp >/dev/null; })
  mkdir -p "$llhttp_dir"
  dpkg-deb -x "$tmp"/node-llhttp_*.deb "$llhttp_dir"
  rm -rf "$tmp"
fi
