#!/bin/sh
# Builds the two committed WebAssembly artifacts deterministically:
#   wasm/gateway_simd.wasm   (SIMD128 kernels, scalar twin selectable at run time)
#   wasm/gateway_scalar.wasm (no SIMD instructions; for hosts without SIMD)
# Usage: sh wasm/build.sh [OUTPUT_DIR]   (default: wasm/)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE}
CARGO=${CARGO:-/usr/bin/cargo}
export RUSTC=/usr/bin/rustc
TARGET_DIR=${WASM_TARGET_DIR:-$HERE/target}
# Paths never end up in the binary: the source dir and home are remapped to fixed names.
REMAP="--remap-path-prefix=$HERE=/gateway/wasm --remap-path-prefix=${HOME:-/root}=/home"
mkdir -p "$OUT"
cd "$HERE"

build() { # name rustflags wasm-opt-features
  RUSTFLAGS="$2 $REMAP" "$CARGO" build --quiet --release --locked --offline \
    --target wasm32-unknown-unknown --target-dir "$TARGET_DIR/$1"
  wasm-opt -O3 $3 --strip-debug --strip-producers \
    "$TARGET_DIR/$1/wasm32-unknown-unknown/release/gateway_signal.wasm" -o "$OUT/gateway_$1.wasm"
  echo "built $OUT/gateway_$1.wasm ($(wc -c <"$OUT/gateway_$1.wasm") bytes)"
}

build simd "-C target-feature=+simd128" "--enable-simd"
build scalar "-C target-feature=-simd128" ""
