#!/usr/bin/env bash
# Compose the supergraph, then run Hive Gateway in the foreground, one process (no cluster workers).
#
#   GATEWAY_PORT=4700 CATALOG_URL=http://127.0.0.1:5101 PAYMENTS_URL=http://127.0.0.1:5102 REVIEWS_URL=http://127.0.0.1:5104/graphql \
#   INVENTORY_URL=http://127.0.0.1:5103/inventory ./run.sh
#
# Pin to one core with e.g. `taskset -c 2 ./run.sh` (exec keeps the same PID, so the pin holds).
# Skip composing (reuse the supergraph file) with COMPOSE=0.
# STITCH=gateway selects the capped-batch variant (own supergraph file, resolvers in gateway.config.ts).
set -euo pipefail
cd "$(dirname "$0")"

export CATALOG_URL="${CATALOG_URL:-http://127.0.0.1:5101}"
export CATALOG_API_KEY="${CATALOG_API_KEY:-demo-catalog-key}"
export PAYMENTS_URL="${PAYMENTS_URL:-http://127.0.0.1:5102}"
export PAYMENTS_CLIENT_ID="${PAYMENTS_CLIENT_ID:-switchboard}"
export PAYMENTS_CLIENT_SECRET="${PAYMENTS_CLIENT_SECRET:-demo-payments-secret}"
export REVIEWS_URL="${REVIEWS_URL:-http://127.0.0.1:5104/graphql}"
export REVIEWS_TOKEN="${REVIEWS_TOKEN:-demo-reviews-token}"
export INVENTORY_URL="${INVENTORY_URL:-http://127.0.0.1:5103/inventory}"   # baked in at compose time
export INVENTORY_USERNAME="${INVENTORY_USERNAME:-switchboard}"
export INVENTORY_PASSWORD="${INVENTORY_PASSWORD:-demo-inventory-password}"
export NODE_ENV=production
# STITCH=gateway: variant with the stitched fields resolved in gateway.config.ts (capped batches).
if [ "${STITCH:-}" = "gateway" ]; then SUPERGRAPH="${SUPERGRAPH:-supergraph.capped.graphql}"; fi
SUPERGRAPH="${SUPERGRAPH:-supergraph.graphql}"

if [ "${COMPOSE:-1}" != "0" ]; then
  node node_modules/@graphql-mesh/compose-cli/esm/bin.js -o "$SUPERGRAPH" >&2
fi

# --fork 1 (the default in 2.15.1; only --fork >1 starts cluster workers) = a single process.
exec node node_modules/@graphql-hive/gateway/dist/bin.js supergraph "$SUPERGRAPH" \
  -c gateway.config.ts --host "${GATEWAY_HOST:-127.0.0.1}" --port "${GATEWAY_PORT:-4700}" --fork 1
