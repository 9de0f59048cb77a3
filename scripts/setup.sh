#!/usr/bin/env bash
# Install everything TechLedger needs on a fresh Debian 12 machine (as root), idempotently:
# system packages, a Python virtualenv with the project, and bun (from the npm registry).
# Usage: scripts/setup.sh [--test]     (--test adds the test tools)
set -Eeuo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$REPO/scripts/env.sh"
WITH_TEST=0; [ "${1:-}" = "--test" ] && WITH_TEST=1
log() { printf '[setup +%4ss] %s\n' "$SECONDS" "$*"; }

APT_PKGS=(postgresql redis-server chromium chromium-driver fonts-liberation fonts-dejavu-core curl ca-certificates
          tesseract-ocr tesseract-ocr-eng poppler-utils)
missing=()
for p in "${APT_PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "run as root to install: ${missing[*]}" >&2; exit 1; }
  log "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  APT_OPTS=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
  apt-get "${APT_OPTS[@]}" update -qq
  apt-get "${APT_OPTS[@]}" install -y -qq --no-install-recommends --no-upgrade "${missing[@]}" >/dev/null
fi

mkdir -p "$CI_WORK"
export PIP_CACHE_DIR="$CI_WORK/pip-cache" PIP_DISABLE_PIP_VERSION_CHECK=1
if [ ! -x "$CI_WORK/venv/bin/python" ]; then
  log "python: creating virtualenv"
  python3 -m venv "$CI_WORK/venv"
fi
extras=""; [ $WITH_TEST = 1 ] && extras="[test]"
stamp="$CI_WORK/venv/.installed-$(sha1sum "$REPO/pyproject.toml" | cut -c1-12)$extras"
if [ ! -f "$stamp" ]; then
  log "python: installing the project$extras"
  # (the 2> filter hides this machine's pip.conf noise about missing local file:// indexes)
  "$CI_WORK/venv/bin/pip" install -q -e "$REPO$extras" 2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
  touch "$stamp"
fi

if ! "$CI_WORK/bun/node_modules/.bin/bun" --version 2>/dev/null | grep -qx "$BUN_VERSION"; then
  log "bun $BUN_VERSION from the npm registry"
  npm install --prefix "$CI_WORK/bun" --cache "$CI_WORK/npm-cache" --no-audit --no-fund --loglevel=error "bun@$BUN_VERSION"
fi
log "ready: $(python --version), bun $(bun --version), node $(node --version)"
