#!/usr/bin/env bash
# Installs PgBouncer from Debian's package for tests/deploy/test_pgbouncer.py. Idempotent; fails loudly.
# The test starts its own pgbouncer process (session mode, its own port); the Debian service is not used.
set -euo pipefail

if command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ]; then
    echo "install-pgbouncer: $( (command -v pgbouncer || echo /usr/sbin/pgbouncer) ) already installed"
    exit 0
fi
command -v apt-get >/dev/null || { echo "install-pgbouncer: FAILED: apt-get not found (Debian expected)" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || { echo "install-pgbouncer: FAILED: apt-get update" >&2; exit 1; }
apt-get install -y -qq -o DPkg::Lock::Timeout=600 pgbouncer >/dev/null \
    || { echo "install-pgbouncer: FAILED: apt-get install pgbouncer" >&2; exit 1; }
# Debian starts a pgbouncer service on 6432 after installing; the test does not need it.
if command -v service >/dev/null; then service pgbouncer stop >/dev/null 2>&1 || true; fi
[ -x /usr/sbin/pgbouncer ] || { echo "install-pgbouncer: FAILED: /usr/sbin/pgbouncer missing after install" >&2; exit 1; }
echo "install-pgbouncer: installed $(/usr/sbin/pgbouncer --version | head -1)"
