# Shared by tools/serve, tools/test and tools/bench: install what is missing, configure, build.
# Sourced, not run. Works on a fresh Debian 12 (bookworm) machine.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

# The Debian 12 packages Landed builds and tests with (README "Requirements").
# libssl-dev: only the tests' loopback HTTPS feed (tests/fetch/tls_feed.h) links it, to prove the
# fetcher verifies certificates; libcurl4-openssl-dev merely suggests it.
LANDED_PACKAGES=(libicu-dev libboost1.81-dev libcurl4-openssl-dev nlohmann-json3-dev libsqlite3-dev
                 catch2 cmake ninja-build g++ pkg-config libssl-dev)

# ensure_packages [extra packages...]: installs what is missing with apt-get when root;
# otherwise prints the exact apt-get line and stops.
ensure_packages() {
  local wanted=("${LANDED_PACKAGES[@]}" "$@") missing=() p
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Landed needs these Debian packages: ${missing[*]}" >&2
    echo "Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "== installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# build DIR BUILD_TYPE [cmake args...] [-- targets...]
build() {
  local dir=$1 type=$2
  shift 2
  local args=() targets=()
  while [ $# -gt 0 ]; do
    if [ "$1" = "--" ]; then shift; targets=("$@"); break; fi
    args+=("$1"); shift
  done
  cmake -S "$ROOT" -B "$ROOT/build/$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "${args[@]}" >/dev/null
  if [ ${#targets[@]} -gt 0 ]; then
    cmake --build "$ROOT/build/$dir" --target "${targets[@]}"
  else
    cmake --build "$ROOT/build/$dir"
  fi
}
