# Shared by scripts/run and scripts/test: install what is missing, then build.
# Sourced, not executed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JOBS="${STOCKBELL_JOBS:-2}"
export NODE_PATH=/usr/share/nodejs   # Debian's emcc finds acorn there

# Debian packages the build and the tests need. libcurl4-openssl-dev sends e-mail (SMTP),
# libkainjow-mustache-dev renders its templates, python3-aiosmtpd is the SMTP server the demo
# catches mail with and the tests send to (tests/smtp/smtp_sink.py; openssl makes its
# certificate for the TLS tests). libtomlplusplus-dev reads `serve --config FILE` (TOML).
# libpq-dev is the PostgreSQL client library of the PostgreSQL backend; postgresql-15 is the
# server the `postgres` tests start a throwaway cluster of. prometheus gives the tests promtool
# (checks /metrics); systemd gives systemd-analyze (checks packaging/stockbell.service).
PACKAGES=(cmake make g++ pkg-config libpq-dev
          nlohmann-json3-dev libcpp-httplib-dev doctest-dev libsqlite3-dev libssl-dev
          zlib1g-dev libbrotli-dev emscripten nodejs esbuild
          libcurl4-openssl-dev libkainjow-mustache-dev python3-aiosmtpd libtomlplusplus-dev)
TEST_PACKAGES=(chromium clang libclang-rt-14-dev wrk openssl prometheus systemd postgresql-15)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@";
  else echo "need root (or sudo) to install: $*" >&2; return 1; fi
}

install_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  # npm ships inside nodesource's nodejs; Debian's nodejs needs the separate npm package.
  command -v npm >/dev/null || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

build_wasm() {
  echo "==> building the WebAssembly core and widget (build-wasm/)"
  if [ ! -w /usr/share/emscripten/cache ]; then export EM_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/emscripten"; fi
  emcmake cmake -S "$ROOT" -B "$ROOT/build-wasm" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$ROOT/build-wasm" -j "$JOBS"
}

build_native() {
  echo "==> building the server and tests (build/)"
  cmake -S "$ROOT" -B "$ROOT/build" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$ROOT/build" -j "$JOBS"
}

build_fuzz() {
  echo "==> building the fuzz targets with clang (build-fuzz/)"
  CXX=clang++ cmake -S "$ROOT" -B "$ROOT/build-fuzz" -DSTOCKBELL_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$ROOT/build-fuzz" -j "$JOBS"
}
