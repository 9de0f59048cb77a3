#!/usr/bin/env bash
# Start throwaway PostgreSQL 15, Redis and an S3 API server (moto) for tests or local runs.
# Usage: source scripts/services.sh RUN_DIR   -> exports DATABASE_URL_PG, REDIS_URL, S3_* ; stop with services_stop
# Ports can be changed with PG_PORT, REDIS_PORT, S3_PORT.

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${PG_PORT:-55432}
REDIS_PORT=${REDIS_PORT:-56379}
S3_PORT=${S3_PORT:-55000}
SERVICES_DIR=${1:?usage: source scripts/services.sh RUN_DIR}
SERVICE_PIDS=()

_as_pg() { (cd / && runuser -u postgres -- "$@"); }

services_start() {
  mkdir -p "$SERVICES_DIR" && chmod 755 "$SERVICES_DIR"
  mkdir -p "$SERVICES_DIR/pg" && chown postgres:postgres "$SERVICES_DIR/pg"
  _as_pg "$PGBIN/initdb" -D "$SERVICES_DIR/pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$SERVICES_DIR/pg/initdb.log"
  _as_pg "$PGBIN/pg_ctl" -D "$SERVICES_DIR/pg/data" -l "$SERVICES_DIR/pg/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $SERVICES_DIR/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$SERVICES_DIR/pg/server.log"; return 1; }
  _as_pg "$PGBIN/createdb" -h "$SERVICES_DIR/pg" -p "$PG_PORT" techledger_test
  _as_pg "$PGBIN/createdb" -h "$SERVICES_DIR/pg" -p "$PG_PORT" techledger_e2e
  export DATABASE_URL_PG="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/techledger_test"
  export DATABASE_URL_PG_E2E="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/techledger_e2e"

  mkdir -p "$SERVICES_DIR/redis"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$SERVICES_DIR/redis" --save '' --appendonly no \
    --daemonize yes --pidfile "$SERVICES_DIR/redis/redis.pid" --logfile "$SERVICES_DIR/redis/redis.log"
  for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
  redis-cli -p "$REDIS_PORT" ping | grep -q PONG || { echo "redis did not start"; return 1; }
  export TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"

  moto_server -H 127.0.0.1 -p "$S3_PORT" >"$SERVICES_DIR/moto.log" 2>&1 &
  SERVICE_PIDS+=($!)
  echo $! >"$SERVICES_DIR/moto.pid"
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$S3_PORT/moto-api/" && break; sleep 0.1; done
  curl -s -o /dev/null "http://127.0.0.1:$S3_PORT/" || { echo "S3 server did not start"; return 1; }
  export TEST_S3_ENDPOINT_URL="http://127.0.0.1:$S3_PORT" S3_ACCESS_KEY=test S3_SECRET_KEY=test
}

services_stop() {
  [ -f "$SERVICES_DIR/moto.pid" ] && kill "$(cat "$SERVICES_DIR/moto.pid")" 2>/dev/null
  [ -f "$SERVICES_DIR/redis/redis.pid" ] && kill "$(cat "$SERVICES_DIR/redis/redis.pid")" 2>/dev/null
  [ -d "$SERVICES_DIR/pg/data" ] && _as_pg "$PGBIN/pg_ctl" -D "$SERVICES_DIR/pg/data" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$SERVICES_DIR"
}
