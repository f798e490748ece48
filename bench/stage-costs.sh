#!/usr/bin/env bash
# What each stage of the event path costs on its own: the app split by pipeline.roles into three processes
# (preprocess, inference, sink; -Xmx256m each, the session stage off) draining a backlog of generated events, with
# broker, Redis and the TensorFlow-backed model server through the local stack's launchers. Over a window in which all
# three are busy it reads each process's CPU (/proc/<pid>/stat) and the records its stage finished (its Prometheus
# scrape), and prints CPU per event and cores per 10,000 events/s per process; then, once the sink has stored every
# event, Redis's used_memory per stored prediction (the store's layout as it is). The numbers feed docs/scaling.md.
#
#   bench/stage-costs.sh                 2,000,000 events, a 15 s warm-up, then a 20 s window
#   EVENTS=600000 WINDOW=15 bench/stage-costs.sh
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS=${EVENTS:-2000000}
WARMUP=${WARMUP:-15}
WINDOW=${WINDOW:-20}
KAFKA_PORT=29092 CONTROLLER_PORT=29093 REDIS_PORT=26379 MODEL_PORT=28500 APP_PORT=28080
WORK=target/stage-costs
RUN=$WORK/run
LOG_PREFIX=stage-costs
source scripts/processes.sh
command -v redis-cli >/dev/null || { echo "stage-costs: needs redis-cli (Debian: redis-tools)" >&2; exit 2; }
rm -rf "$RUN" && mkdir -p "$RUN"
build_jar_and_classpath "$WORK"

PIDS=()
cleanup() {
  for pid in ${PIDS[@]+"${PIDS[@]}"}; do kill "$pid" 2>/dev/null || true; done
  for pid in ${PIDS[@]+"${PIDS[@]}"}; do wait_closed "$pid"; done
}
trap cleanup EXIT

piece() { # name, port, args...
  start_piece "$@"
  PIDS+=("$PIECE_PID")
}
piece kafka $KAFKA_PORT --local.kafka-port=$KAFKA_PORT --local.kafka-controller-port=$CONTROLLER_PORT --local.kafka-data="$RUN/kafka"
KAFKA_PID=${PIDS[-1]}
piece redis $REDIS_PORT --local.redis-port=$REDIS_PORT --local.redis-data="$RUN/redis"
# The launcher runs redis-server as its child: that process's CPU is Redis's.
REDIS_PID=$(pgrep -P "${PIDS[-1]}" redis-server | head -1 || true)
REDIS_PID=${REDIS_PID:-${PIDS[-1]}}
used_memory() { redis-cli -p $REDIS_PORT info memory | tr -d '\r' | awk -F: '$1 == "used_memory" {print $2}'; }
EMPTY_MEMORY=$(used_memory)
piece model-server $MODEL_PORT --local.model-port=$MODEL_PORT
MODEL_PID=${PIDS[-1]}

echo "stage-costs: sending $EVENTS events to s0"
java -cp "$CP" io.streaminference.demo.EventGenerator --bootstrap-servers 127.0.0.1:$KAFKA_PORT --rate 1000000 \
  --count "$EVENTS" --malformed-ratio 0 --seed 7 >>"$RUN/generator.log" 2>&1

STAGES=(preprocess inference sink)
declare -A APP_PIDS MGMT
for i in "${!STAGES[@]}"; do
  stage=${STAGES[$i]} port=$((APP_PORT + 10 * i))
  require_free_port $port "$stage"
  java -Xmx256m -jar "$JAR" --pipeline.roles="$stage" --pipeline.sessions.enabled=false \
    --server.port=$port --management.server.port=$((port + 1)) --pipeline.security.metrics-open=true \
    --spring.kafka.bootstrap-servers=127.0.0.1:$KAFKA_PORT --spring.data.redis.port=$REDIS_PORT \
    --grpc.client.tf-serving.address=static://127.0.0.1:$MODEL_PORT \
    --pipeline.kafka.transaction-id-prefix="costs-$stage-" >>"$RUN/app-$stage.log" 2>&1 &
  PIDS+=($!)
  APP_PIDS[$stage]=$!
  MGMT[$stage]=$((port + 1))
done
for stage in "${STAGES[@]}"; do wait_port "${MGMT[$stage]}" "$stage"; done

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # user + system, in ticks of 1/100 s
finished() { # stage: records its listener finished so far
  curl -s "http://127.0.0.1:${MGMT[$1]}/actuator/prometheus" \
    | awk -v s="stage=\"$1\"" '/^pipeline_records_in_total\{/ && index($0, s) {n += $NF} END {printf "%d", n}'
}
echo "stage-costs: $WARMUP s warm-up, then a $WINDOW s window"
sleep "$WARMUP"
declare -A CPU0 N0
for stage in "${STAGES[@]}"; do CPU0[$stage]=$(cpu "${APP_PIDS[$stage]}"); N0[$stage]=$(finished "$stage"); done
BROKER0=$(cpu "$KAFKA_PID") REDIS0=$(cpu "$REDIS_PID") MODEL0=$(cpu "$MODEL_PID")
sleep "$WINDOW"
declare -A CPU1 N1
for stage in "${STAGES[@]}"; do CPU1[$stage]=$(cpu "${APP_PIDS[$stage]}"); N1[$stage]=$(finished "$stage"); done
BROKER1=$(cpu "$KAFKA_PID") REDIS1=$(cpu "$REDIS_PID") MODEL1=$(cpu "$MODEL_PID")

{
  echo "| process | events/s in the window | cores used | CPU µs per event | cores per 10,000 events/s |"
  echo "|---|---|---|---|---|"
  SINK_N=$(( N1[sink] - N0[sink] ))
  # The broker serves all three hops: its cost per event is per event through the whole path, i.e. per the mean of
  # the three stages' counts in the window (they differ while a backlog drains).
  PATH_N=$(( (N1[preprocess] - N0[preprocess] + N1[inference] - N0[inference] + SINK_N) / 3 ))
  INFERENCE_N=$(( N1[inference] - N0[inference] ))
  for stage in "${STAGES[@]}"; do
    n=$(( N1[$stage] - N0[$stage] )) ticks=$(( CPU1[$stage] - CPU0[$stage] ))
    awk -v s="$stage" -v n="$n" -v t="$ticks" -v w="$WINDOW" 'BEGIN {
      if (n <= 0) { printf "| %s | 0 (idle: the backlog was gone or it had not started) | %.2f | | |\n", s, t / 100 / w; exit }
      printf "| %s | %.0f | %.2f | %.0f | %.2f |\n", s, n / w, t / 100 / w, t * 10000 / n, t * 10000 / n / 100 }'
  done
  for piece in "broker (per event through the path):$((BROKER1 - BROKER0)):$PATH_N" \
      "redis (per event stored):$((REDIS1 - REDIS0)):$SINK_N" \
      "model server (per event predicted):$((MODEL1 - MODEL0)):$INFERENCE_N"; do
    IFS=: read -r name ticks n <<<"$piece"
    awk -v s="$name" -v t="$ticks" -v n="$n" -v w="$WINDOW" 'BEGIN {
      if (n <= 0) exit
      printf "| %s | | %.2f | %.0f | %.2f |\n", s, t / 100 / w, t * 10000 / n, t * 10000 / n / 100 }'
  done
} | tee "$WORK/results.md"

echo "stage-costs: waiting (up to 10 minutes) for the sink to store all $EVENTS"
for _ in $(seq 1 300); do [ "$(finished sink)" -ge "$EVENTS" ] && break; sleep 2; done
STORED=$(finished sink) KEYS=$(redis-cli -p $REDIS_PORT dbsize | tr -d '\r') MEMORY=$(used_memory)
awk -v n="$STORED" -v k="$KEYS" -v m="$MEMORY" -v e="$EMPTY_MEMORY" 'BEGIN {
  printf "\nRedis: %d predictions stored, %d keys, used_memory %.1f MB: %.0f bytes per stored prediction\n",
    n, k, m / 1e6, (m - e) / n }' | tee -a "$WORK/results.md"
