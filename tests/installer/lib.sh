# Shared by the installer tests: arguments, a private temp dir, failing loudly, making packages.
# Usage in a test: source "$(dirname "$0")/lib.sh" "$@"
set -euo pipefail
build=$1
src=$2
version=$3
console_built=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (bash scripts/install-deps.sh --with-tests)"
  done
}
# Packages what is built into $tmp/debs; sets node_deb and console_deb.
make_debs() {
  need cpack dpkg-deb dpkg-shlibdeps file
  bash "$src/installer/build-debs.sh" --no-build "$build" "$tmp/debs" >/dev/null
  node_deb=$(ls "$tmp"/debs/sluice_*.deb 2>/dev/null || true)
  console_deb=$(ls "$tmp"/debs/sluice-console_*.deb 2>/dev/null || true)
  [ -n "$node_deb" ] || fail "no sluice_*.deb in $tmp/debs"
}
