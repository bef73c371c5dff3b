#!/bin/sh
# Installs what the gateway's demo or test suite needs on a fresh Debian machine (idempotent, as root).
#   sh scripts/setup.sh demo   -> npm dependencies only (Deno resolves them into node_modules/)
#   sh scripts/setup.sh test   -> plus the Debian packages the tests run as real peers
set -eu
mode=${1:-test}
cd "$(dirname "$0")/.."

# Debian packages the tests use as real peers and tools:
#   mosquitto (MQTT broker), python3-pymodbus (+ python3-serial-asyncio, a Recommends that its server imports even for TCP) + mbpoll + socat (Modbus peers, serial line pair), chromium (dashboard tests),
#   python3-onnx + python3-numpy (ONNX test model), openssl (test certificates),
#   rustc cargo libstd-rust-dev-wasm32 lld binaryen (rebuilding the WASM core to check the committed one).
TEST_PACKAGES="mosquitto python3-pymodbus python3-serial-asyncio mbpoll socat chromium python3-onnx python3-numpy openssl rustc cargo libstd-rust-dev-wasm32 lld binaryen"

if [ "$mode" = "test" ]; then
  missing=""
  for pkg in $TEST_PACKAGES; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
  done
  if [ -n "$missing" ]; then
    echo "setup: installing Debian packages:$missing" >&2
    SUDO=""
    [ "$(id -u)" = "0" ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
fi
