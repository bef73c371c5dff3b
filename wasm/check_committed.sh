#!/bin/sh
# CI check: rebuilds both WebAssembly artifacts into a temp dir and fails if the committed
# wasm/gateway_simd.wasm or wasm/gateway_scalar.wasm differ from what the sources produce.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
sh "$HERE/build.sh" "$TMP" >/dev/null
status=0
for f in gateway_simd.wasm gateway_scalar.wasm; do
  if ! cmp -s "$TMP/$f" "$HERE/$f"; then
    echo "wasm/$f is out of date: rebuild with 'deno task build:wasm' and commit it" >&2
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "committed wasm artifacts match the sources"
exit "$status"
