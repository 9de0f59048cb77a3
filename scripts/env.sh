# Sourced by the other scripts: where the toolchain lives and how Reflex finds it.
REPO=${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
CI_WORK=${CI_WORK:-$REPO/.ci-work}
BUN_VERSION=1.4.4
export PATH="$CI_WORK/bun/node_modules/.bin:$CI_WORK/venv/bin:$PATH"
export REFLEX_USE_SYSTEM_BUN=1                 # Node 20 is too old for Reflex's npm path; use bun from npm
export REFLEX_DIR="$CI_WORK/reflex-home"
export BUN_INSTALL_CACHE_DIR="$CI_WORK/bun-cache"
export BUN_RUNTIME_TRANSPILER_CACHE_PATH="$CI_WORK/bun-transpiler-cache"
export NPM_CONFIG_REGISTRY="${NPM_CONFIG_REGISTRY:-$(npm config get registry 2>/dev/null || echo https://registry.npmjs.org/)}"
export REFLEX_TELEMETRY_ENABLED=false
export XDG_CACHE_HOME="${XDG_CACHE_HOME:-$CI_WORK/xdg-cache}" XDG_CONFIG_HOME="${XDG_CONFIG_HOME:-$CI_WORK/xdg-config}"
export PYTHONUNBUFFERED=1
