#!/usr/bin/env bash
# Set up and run TechLedger on its embedded defaults: SQLite in .data/, files in .data/files,
# jobs in-process, the local vision engine. Creates a demo organization to look at.
set -Eeuo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
bash scripts/setup.sh
source scripts/env.sh
techledger db upgrade
techledger demo >/dev/null
PORT=${PORT:-3000}
echo
echo "  TechLedger starts at http://localhost:$PORT  (the first start builds the frontend: about a minute)"
echo "  Log in as demo@example.com / demo-password, or create your own account."
echo
exec reflex run --env prod --frontend-port "$PORT" --backend-port "$PORT"
