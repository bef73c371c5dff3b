# syntax=docker/dockerfile:1.7
# Edge gateway image: one compiled executable on debian:bookworm-slim, non-root, narrow Deno permissions.
#   docker build -t gateway .
#   docker run -d --name gw -v /srv/gw/etc:/etc/gateway:ro -v /srv/gw/data:/var/lib/gateway -p 8080:8080 gateway
# The configuration (/etc/gateway/gateway.yaml) must set `http.host: 0.0.0.0` to be reachable from outside the
# container. Containers are updated by replacing the image; the A/B updater stays idle here (no release root).

ARG DENO_VERSION=2.9.6

# 1. The WASM signal core, built with Debian's Rust toolchain (same as wasm/build.sh on a workstation).
FROM debian:bookworm AS wasm
RUN apt-get update \
 && apt-get install -y --no-install-recommends rustc cargo libstd-rust-dev-wasm32 lld binaryen ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src/wasm
COPY wasm/Cargo.toml wasm/Cargo.lock wasm/build.sh ./
COPY wasm/src ./src
RUN CARGO=/usr/bin/cargo WASM_TARGET_DIR=/tmp/wasm-target sh build.sh /out

# 2. Dependencies (cached until deno.json/deno.lock change), then the compiled executable.
FROM denoland/deno:bin-${DENO_VERSION} AS deno
FROM debian:bookworm-slim AS build
COPY --from=deno /deno /usr/local/bin/deno
ENV DENO_DIR=/deno-dir DENO_TLS_CA_STORE=system
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY deno.json deno.lock ./
RUN deno install --frozen
COPY . .
COPY --from=wasm /out/gateway_simd.wasm /out/gateway_scalar.wasm ./wasm/
RUN deno check main.ts \
 && deno compile --frozen --output /out/gateway \
      --include wasm/gateway_simd.wasm --include wasm/gateway_scalar.wasm \
      --include node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm \
      --include node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.mjs \
      --include dashboard/src \
      --include "node_modules/@duckdb/node-bindings-linux-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')" \
      --allow-read=/etc/gateway,/var/lib/gateway,/tmp \
      --allow-write=/var/lib/gateway,/tmp \
      --allow-ffi --allow-net --allow-env --allow-sys \
      main.ts \
 && /out/gateway version

# 3. Runtime: glibc + libstdc++ (DuckDB's native addon), CA certificates, a non-root user; nothing else.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 gateway \
 && useradd --system --uid 10001 --gid gateway --home-dir /var/lib/gateway --shell /usr/sbin/nologin gateway \
 && install -d -o gateway -g gateway -m 0750 /var/lib/gateway \
 && install -d -o root -g gateway -m 0750 /etc/gateway
COPY --from=build /out/gateway /usr/local/bin/gateway
USER gateway:gateway
WORKDIR /var/lib/gateway
ENV DENO_TLS_CA_STORE=system TMPDIR=/tmp
VOLUME ["/var/lib/gateway"]
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["/usr/local/bin/gateway", "healthcheck", "--url", "http://127.0.0.1:8080/api/v1/health", "--accept-degraded"]
ENTRYPOINT ["/usr/local/bin/gateway"]
CMD ["run", "--config", "/etc/gateway/gateway.yaml"]
