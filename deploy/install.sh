#!/bin/sh
# Provisions a gateway for A/B updates (run as root on the target, once):
#   sh deploy/install.sh ARTIFACT TRUSTED_ROOT.json [CONFIG.yaml]
# ARTIFACT is a bundle-form release (.tar.gz from `deno task release:bundle`) or a compiled binary (from
# `deno task compile`). TRUSTED_ROOT.json is the root metadata from `gateway release root` (trusted keys and
# threshold). Creates the gateway user, /opt/gateway/{releases/<version>,current,trust/root.json,state},
# /etc/gateway/gateway.yaml (the given file, or the sample) and /var/lib/gateway, installs and starts
# gateway.service. Later versions arrive as signed updates (POST /api/v1/update or the MQTT command).
set -eu
[ $# -ge 2 ] || { echo "usage: $0 ARTIFACT TRUSTED_ROOT.json [CONFIG.yaml]" >&2; exit 2; }
ARTIFACT=$1
TRUST=$2
CONFIG=${3:-}
ROOT=/opt/gateway
HERE=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P)
[ "$(id -u)" = "0" ] || { echo "run as root" >&2; exit 1; }

id gateway >/dev/null 2>&1 || useradd --system --home-dir /var/lib/gateway --shell /usr/sbin/nologin gateway
install -d -o root -g root -m 0755 "$ROOT" "$ROOT/releases" "$ROOT/trust"
install -d -o gateway -g gateway -m 0750 "$ROOT/state" "$ROOT/tmp" "$ROOT/backups" /var/lib/gateway
install -d -o root -g gateway -m 0750 /etc/gateway

STAGE=$(mktemp -d "$ROOT/releases/.staging-XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
if gzip -t "$ARTIFACT" 2>/dev/null; then
  tar -xzf "$ARTIFACT" -C "$STAGE" --no-same-owner
  FORM=bundle
else
  install -d "$STAGE/bin"
  install -m 0755 "$ARTIFACT" "$STAGE/bin/gateway"
  FORM=binary
fi
VERSION=$("$STAGE/bin/gateway" version --json | sed -n 's/.*"version":"\([^"]*\)".*/\1/p')
[ -n "$VERSION" ] || { echo "cannot read the version of $ARTIFACT" >&2; exit 1; }
[ -e "$ROOT/releases/$VERSION" ] && { echo "$ROOT/releases/$VERSION already exists" >&2; exit 1; }
printf '{"provisioned":true,"form":"%s","installed":%s000}\n' "$FORM" "$(date +%s)" > "$STAGE/.release.json"
[ -f "$STAGE/RELEASE.json" ] || printf '{"version":"%s","form":"%s"}\n' "$VERSION" "$FORM" > "$STAGE/RELEASE.json"
chown -R root:root "$STAGE"
chmod 0755 "$STAGE"
mv "$STAGE" "$ROOT/releases/$VERSION"
trap - EXIT
# The release tree belongs to the gateway user so the supervisor can install and prune releases.
chown -R gateway:gateway "$ROOT/releases" "$ROOT/state" "$ROOT/tmp" "$ROOT/backups"
chown gateway:gateway "$ROOT"
ln -sfn "releases/$VERSION" "$ROOT/.current-install"
mv -T "$ROOT/.current-install" "$ROOT/current"
install -o root -g gateway -m 0644 "$TRUST" "$ROOT/trust/root.json"

if [ -n "$CONFIG" ]; then
  install -o root -g gateway -m 0640 "$CONFIG" /etc/gateway/gateway.yaml
elif [ ! -e /etc/gateway/gateway.yaml ]; then
  "$ROOT/current/bin/gateway" config-sample --out /tmp/gateway.sample.yaml
  install -o root -g gateway -m 0640 /tmp/gateway.sample.yaml /etc/gateway/gateway.yaml
  rm -f /tmp/gateway.sample.yaml
  echo "wrote the sample configuration to /etc/gateway/gateway.yaml: edit gateway.id and gateway.site" >&2
fi

install -m 0644 "$HERE/gateway.service" /etc/systemd/system/gateway.service
systemctl daemon-reload
systemctl enable --now gateway.service
echo "gateway $VERSION ($FORM) installed in $ROOT and started (systemctl status gateway)"
