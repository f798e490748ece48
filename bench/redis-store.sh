#!/usr/bin/env bash
# The sink's Redis store on its own (RedisStoreBench): the real writer stores COUNT predictions into a fresh
# redis-server 6.2 (the local stack's launcher) as fast as one thread can; every 2^20 it prints used_memory per stored
# prediction, Redis CPU per prediction and the slowest batch, then the slowest batch around 2^22 and 2^23 predictions
# and the latency of both queries. The numbers feed docs/benchmarks.md (Redis footprint).
#
#   bench/redis-store.sh                  9,000,000 predictions (past 2^23)
#   COUNT=1100000 bench/redis-store.sh
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${COUNT:-9000000}
REDIS_PORT=${REDIS_PORT:-26479}
WORK=target/redis-store
RUN=$WORK/run
LOG_PREFIX=redis-store
source scripts/processes.sh
rm -rf "$RUN" && mkdir -p "$RUN"
build_jar_and_classpath "$WORK"

# No persistence: an AOF rewrite or snapshot would fork mid-run and stall for reasons other than the layout.
start_piece redis "$REDIS_PORT" --local.redis-port=$REDIS_PORT
REDIS=$PIECE_PID
trap 'stop_pid $REDIS' EXIT
java -Xmx1g -cp "$CP" io.streaminference.local.LocalStack redis-store --local.redis-port=$REDIS_PORT \
  --local.count=$COUNT | tee "$WORK/result.txt"
