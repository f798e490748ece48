#!/usr/bin/env bash
# Process-level chaos harness: every piece is its own process (broker, Redis, model server via the local stack's
# launchers; the packaged app jar with -Xmx256m), 200,000 generated events with 1% malformed, one fault scenario at a
# time on a fresh broker and Redis, then ChaosVerifier judges: 0 lost, 0 duplicates in s1/s2, DLTs = injected bad set,
# and every session (5 s inactivity gap) once in s1-sessions and s2-sessions, equal to the offline reference.
#
#   chaos/run.sh                          all scenarios
#   chaos/run.sh app-kill redis-outage    some of them
#   EVENTS=50000 chaos/run.sh             a smaller run
#
# Scenarios: app-kill (SIGKILL the app 3 times while it works, restarting it), model-outage (model server down 120 s),
# redis-outage (Redis down 60 s), broker-sigterm and broker-sigkill (restart the broker), scale (a second and a third
# instance join mid-stream, then one leaves by SIGTERM and one by SIGKILL, never to return: a Deployment's pod, not a
# StatefulSet's), and scale-replace (the same, but the killed instance comes back 5 s later under its name and
# transactional ids, as a StatefulSet's pod does). ASSIGNOR=org.apache.kafka.clients.consumer.RangeAssignor runs them
# with eager rebalancing.
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS=${EVENTS:-200000}
SEED=${SEED:-7}
RATE=${RATE:-20000}
# Short sessions, so that they close (and are emitted) while the faults happen, not only at the end.
GAP=5s
KAFKA_PORT=19092 CONTROLLER_PORT=19093 REDIS_PORT=16379 MODEL_PORT=18500 APP_PORT=18080
WORK=target/chaos
ALL_SCENARIOS=(app-kill model-outage redis-outage broker-sigterm broker-sigkill scale scale-replace)
SCENARIOS=("${@:-${ALL_SCENARIOS[@]}}")

LOG_PREFIX=chaos
source scripts/processes.sh
mkdir -p "$WORK"
build_jar_and_classpath "$WORK"

start_kafka() {
  start_piece kafka $KAFKA_PORT --local.kafka-port=$KAFKA_PORT --local.kafka-controller-port=$CONTROLLER_PORT \
    --local.kafka-data="$RUN/kafka"
  KAFKA_PID=$PIECE_PID
}
start_redis() {
  start_piece redis $REDIS_PORT --local.redis-port=$REDIS_PORT --local.redis-data="$RUN/redis"
  REDIS_PID=$PIECE_PID
}
start_model() {
  start_piece model-server $MODEL_PORT --local.model-port=$MODEL_PORT
  MODEL_PID=$PIECE_PID
}
# Instance n of the app: the first on APP_PORT; 2 and 3 beside it on their own ports, state directories and
# transactional ids (one host). The pid goes to $RUN/app.pid or app-<n>.pid: instances may start in a background
# subshell.
start_instance() {
  local n=$1 port=$APP_PORT suffix= ids=()
  if (( n > 1 )); then
    port=$((APP_PORT + 10 * n)) suffix=-$n ids=(--pipeline.kafka.transaction-id-prefix="chaos-$n-")
  fi
  require_free_port $port "app$suffix"
  java -Xmx256m -jar "$JAR" --server.port=$port --management.server.port=$((port + 1)) \
    --spring.kafka.bootstrap-servers=127.0.0.1:$KAFKA_PORT --spring.data.redis.port=$REDIS_PORT \
    --grpc.client.tf-serving.address=static://127.0.0.1:$MODEL_PORT --pipeline.sessions.inactivity-gap=$GAP \
    --pipeline.sessions.grace=1s --spring.kafka.streams.state-dir="$RUN/state$suffix" ${ids[@]+"${ids[@]}"} \
    ${ASSIGNOR:+--spring.kafka.consumer.properties.partition.assignment.strategy=$ASSIGNOR} \
    >>"$RUN/app$suffix.log" 2>&1 &
  echo $! >"$RUN/app$suffix.pid"
  wait_port $port "app$suffix"
}
start_app() {
  start_instance 1
  APP_PID=$(cat "$RUN/app.pid")
}
instance_pid() { cat "$RUN/app-$1.pid"; }
stop_all() {
  local extra; extra=$(cat "${RUN:-/nonexistent}"/app-*.pid 2>/dev/null || true)
  for pid in $extra ${APP_PID:-} ${MODEL_PID:-} ${REDIS_PID:-} ${KAFKA_PID:-}; do kill "$pid" 2>/dev/null || true; done
  for pid in $extra ${APP_PID:-} ${MODEL_PID:-} ${REDIS_PID:-} ${KAFKA_PID:-}; do wait_closed "$pid"; done
  rm -f "${RUN:-/nonexistent}"/app-*.pid
  APP_PID= MODEL_PID= REDIS_PID= KAFKA_PID=
}
trap stop_all EXIT

RESULTS="$WORK/results.md"
echo "| scenario | events sent | stored in Redis | lost | duplicates in s1 | duplicates in s2 | in DLTs | expected in DLTs | sessions | sessions wrong or lost | session duplicates | longest pause in stored output | slowest event | result |" >"$RESULTS"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|" >>"$RESULTS"
FAILED=0
for scenario in "${SCENARIOS[@]}"; do
  RUN="$WORK/$scenario"
  rm -rf "$RUN" && mkdir -p "$RUN"
  echo "chaos: $scenario — starting broker, Redis, model server and app"
  start_kafka; start_redis; start_model; start_app
  START_MS=$(date +%s%3N)
  # Instances join and leave while events flow: the scale scenario sends its events over 3 minutes (an instance takes
  # up to a minute to start on a busy 2-core machine).
  SCENARIO_RATE=$RATE; [[ "$scenario" == scale* ]] && SCENARIO_RATE=$((EVENTS / 180))
  java -cp "$CP" io.streaminference.demo.EventGenerator --bootstrap-servers 127.0.0.1:$KAFKA_PORT --rate "$SCENARIO_RATE" \
    --count "$EVENTS" --malformed-ratio 0.01 --seed "$SEED" --start-ms "$START_MS" >>"$RUN/generator.log" 2>&1 &
  GENERATOR_PID=$!
  sleep 5
  case $scenario in
    app-kill)
      for round in 1 2 3; do
        echo "chaos: SIGKILL app ($round/3)"; kill -9 "$APP_PID"; wait_closed "$APP_PID"; sleep 2; start_app; sleep 8
      done ;;
    model-outage)
      echo "chaos: model server down for 120 s"; kill "$MODEL_PID"; wait_closed "$MODEL_PID"; sleep 120; start_model ;;
    redis-outage)
      echo "chaos: Redis down for 60 s"; kill "$REDIS_PID"; wait_closed "$REDIS_PID"; sleep 60; start_redis ;;
    broker-sigterm)
      echo "chaos: broker SIGTERM and restart"; kill "$KAFKA_PID"; wait_closed "$KAFKA_PID"; sleep 5; start_kafka ;;
    broker-sigkill)
      echo "chaos: broker SIGKILL and restart"; kill -9 "$KAFKA_PID"; wait_closed "$KAFKA_PID"; sleep 5; start_kafka ;;
    scale|scale-replace)
      echo "chaos: instances 2 and 3 join"; start_instance 2 & JOINING=$!; start_instance 3; wait "$JOINING"; sleep 20
      echo "chaos: instance 2 leaves (SIGTERM)"; stop_pid "$(instance_pid 2)"; sleep 20
      echo "chaos: instance 3 leaves (SIGKILL)"; kill -9 "$(instance_pid 3)"; wait_closed "$(instance_pid 3)"
      if [ "$scenario" = scale-replace ]; then
        sleep 5; echo "chaos: instance 3 replaced under its name"; start_instance 3
      fi ;;
    *) echo "chaos: unknown scenario $scenario" >&2; exit 2 ;;
  esac
  wait "$GENERATOR_PID" || { echo "chaos: generator failed, see $RUN/generator.log" >&2; FAILED=1; }
  echo "chaos: $scenario — verifying"
  if java -cp "$CP" io.streaminference.local.LocalStack verify --local.scenario="$scenario" --local.events="$EVENTS" \
      --local.seed="$SEED" --local.rate="$SCENARIO_RATE" --local.start-ms="$START_MS" --local.inactivity-gap="${GAP^^}" --local.malformed-ratio=0.01 --local.kafka-port=$KAFKA_PORT --local.redis-port=$REDIS_PORT \
      --local.timeout-seconds=600 >"$RUN/verify.log" 2>&1; then :; else FAILED=1; fi
  grep '^| ' "$RUN/verify.log" | tail -1 | tee -a "$RESULTS"
  stop_all
done
echo
cat "$RESULTS"
exit $FAILED
