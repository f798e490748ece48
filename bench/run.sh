#!/usr/bin/env bash
# Benchmark harness: every piece its own process on this machine (broker, Redis and the TensorFlow-backed model
# server through the local stack's launchers; the packaged app jar with -Xmx256m), and every claim a ratio measured
# in this one run:
#   1. null relay      the same three hops as plain consumer/producer loops (exactly-once): the topology's ceiling
#   2. drain           N preloaded events through the app: exactly-once with the session stage on (its own
#                      throughput and CPU per event), then the event path at-least-once and exactly-once (whose app
#                      stays up, idle)
#   3. seed baseline   the replaced design: new channel + blocking Predict + sync produce per record
#   4. open loop       25%, 50% and 80% of (2)'s throughput through (2)'s warm exactly-once app; p50/p99/p99.9
#                      event time → Redis write; lag; heap; then the null relay (warmed up the same way) under the
#                      same 50% and 80% load: the topology's latency floor
# The last line is the summary: relay_ratio=… seed_speedup=… p99_ms_at_half_load=… p99_floor_ratio_50=… p99_floor_ratio_80=…
# p50_floor_ratio_50=… eos_ratio=… heap_mb=… events_per_s=…
# sessions_events_per_s=… sessions_on_off_ratio=… (the floor ratios: app ÷ null relay at the same load, same run)
#
#   bench/run.sh            full: 1,000,000 events per drain after 600,000 warm-up, 2/10/5-minute load phases (~30 min); updates
#                           docs/benchmarks.md and docs/benchmarks.png
#   bench/run.sh --quick    200,000 events after 300,000 warm-up, 40-second phases (~12 min); results in target/bench/
# For tuning: BENCH_APP_ARGS="--key=value ..." is passed to every app start (the null relay follows its
# --pipeline.kafka.delivery=at-least-once), BENCH_APP_JVM="-XX:... -Xlog:..." to the app's JVM; BENCH_STEPS="relay drain seed load floor"
# picks steps (load or floor alone needs BENCH_RATE, the 100% rate); BENCH_JFR=1 records each drain with Flight Recorder
# while it drains the timed events into target/bench/run/drain-<mode>.jfr (summarise with bench/hot-methods.sh);
# EVENTS_OVERRIDE and WARMUP_OVERRIDE replace the mode's timed and warm-up event counts; BENCH_COMPRESSION=none|zstd|...
# sets the producers' codec everywhere (app, relay, load generators) instead of the app's lz4; BENCH_NICE sets the
# pieces' nice levels (default "redis=-10 kafka=-10 model-server=-10"). An A/B in one run: BENCH_B_APP_ARGS,
# BENCH_B_APP_JVM, BENCH_B_APP_GC, BENCH_B_NICE and BENCH_B_JAR (another build's jar) give a second app the same
# open-loop phases, alternating with the first's (b*load25/50/80; BENCH_B_FIRST=1 puts B first in each pair);
# BENCH_APP_GC replaces the app's collector flags (default: the image's).
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=full EVENTS=1000000 WARMUP=600000 SEED_EVENTS=20000 SEED_SECONDS=120 LOAD_SECONDS=(120 600 300) FLOOR_SECONDS=120
FLOOR_WARMUP=300000 DOCS=docs
if [[ "${1:-}" == "--quick" ]]; then
  # 200,000 timed events: 100,000 drained in 5-7 s, where a second of ramp-up and tail moved the exactly-once /
  # at-least-once ratio between 0.71 and 0.84 from run to run. Shorter seed and load phases pay for it.
  MODE=quick EVENTS=200000 WARMUP=300000 SEED_SECONDS=20 LOAD_SECONDS=(40 40 40) FLOOR_SECONDS=40 FLOOR_WARMUP=100000
  DOCS=target/bench
fi
EVENTS=${EVENTS_OVERRIDE:-$EVENTS}
# Relay and drains first move WARMUP events untimed, then the EVENTS that are timed appear at once (one transaction):
# both JVMs start fresh, and on 2 cores the JIT compiling their hot paths (20-35% of a core for the first minute)
# would otherwise be measured as part of their throughput.
WARMUP=${WARMUP_OVERRIDE:-$WARMUP}
STEPS=${BENCH_STEPS:-relay drain seed load floor}
read -r -a APP_EXTRA <<<"${BENCH_APP_ARGS:-}"
read -r -a APP_JVM <<<"${BENCH_APP_JVM:-}"
# The image's and the chart's collector (docker/Dockerfile, jvm.options); BENCH_APP_GC (or BENCH_B_APP_GC for the B
# app) replaces it, e.g. "-XX:+UseG1GC".
read -r -a APP_GC <<<"${BENCH_APP_GC:--XX:+UseParallelGC -XX:NewRatio=1}"
# The null relay runs in the app's delivery mode, so a floor measured for an at-least-once app is its own floor.
RELAY_DELIVERY=exactly-once
[[ " ${BENCH_APP_ARGS:-} " == *" --pipeline.kafka.delivery=at-least-once "* ]] && RELAY_DELIVERY=at-least-once
# BenchClients reads the same variable for the relay and the load generators.
[[ -n "${BENCH_COMPRESSION:-}" ]] && APP_EXTRA+=("--spring.kafka.producer.compression-type=$BENCH_COMPRESSION")
step() { [[ " $STEPS " == *" $1 "* ]]; }
# Short enough that sessions close, and are scored and stored, while a drain runs (Preload's event times advance at
# 20,000 simulated events per second).
SESSION_GAP=10s
KAFKA_PORT=29092 CONTROLLER_PORT=29093 REDIS_PORT=26379 MODEL_PORT=28500 APP_PORT=28080
WORK=target/bench
RUN=$WORK/run
RESULTS=$WORK/results.properties
rm -rf "$RUN" && mkdir -p "$RUN" && : >"$RESULTS"
LOG_PREFIX=bench
source scripts/processes.sh
build_jar_and_classpath "$WORK"
PIDS=() PIECES=()

stack() { java -cp "$CP" io.streaminference.local.LocalStack "$@"; }
bench() { # step, options...
  local step=$1; shift
  stack bench "$step" --local.kafka-port=$KAFKA_PORT --local.redis-port=$REDIS_PORT --local.model-port=$MODEL_PORT \
    --local.app-port=$APP_PORT --local.results="$RESULTS" --local.run-dir="$RUN" --local.pids="$(piece_pids)" "$@" \
    2>>"$RUN/bench.log" \
    | tee -a "$RUN/bench.out"
}
set_nice() { # "piece=level ...": every thread of each piece (a process's nice level is per thread on Linux)
  local pair name pid i
  for pair in $1; do
    name=${pair%=*} pid=
    if [[ $name == redis ]]; then pid=$(pgrep -f "redis-server.*:$REDIS_PORT\$"); fi
    for i in "${!PIECES[@]}"; do [[ ${PIECES[$i]} == "$name" && $name != redis ]] && pid=${PIDS[$i]}; done
    [[ -n $pid ]] || { echo "bench: no piece $name to renice" >&2; return 1; }
    renice -n "${pair#*=}" -p $(ls "/proc/$pid/task") >/dev/null \
      || echo "bench: could not renice $name (needs root or CAP_SYS_NICE)" >&2
  done
}
piece_pids() { # name=pid of each started piece, for the per-process CPU of the timed scenarios
  local i list=
  for i in "${!PIECES[@]}"; do list+="${list:+,}${PIECES[$i]}=${PIDS[$i]}"; done
  echo "$list"
}
start_tracked() { # name, port, options...: a piece whose CPU the timed scenarios read, stopped by cleanup
  start_piece "$@"
  PIDS+=("$PIECE_PID")
  PIECES+=("$1")
}
start_app() { # topic prefix, extra args...
  local prefix=$1; shift
  require_free_port $APP_PORT app
  java -Xmx256m "${APP_GC[@]}" ${APP_JVM[@]+"${APP_JVM[@]}"} -jar "${APP_JAR:-$JAR}" --server.port=$APP_PORT --management.server.port=$APP_PORT \
    "--pipeline.security.users[0].name=operator" "--pipeline.security.users[0].password={noop}local-operator" \
    "--pipeline.security.users[0].roles=OPERATOR" --spring.kafka.bootstrap-servers=127.0.0.1:$KAFKA_PORT \
    --spring.data.redis.port=$REDIS_PORT --grpc.client.tf-serving.address=static://127.0.0.1:$MODEL_PORT \
    --pipeline.topics.events="$prefix-s0" --pipeline.topics.features="$prefix-s1" \
    --pipeline.topics.predictions="$prefix-s2" --spring.kafka.consumer.group-id="bench-$prefix" \
    --pipeline.topics.sessions="$prefix-s1-sessions" --pipeline.topics.session-predictions="$prefix-s2-sessions" \
    --spring.kafka.streams.application-id="bench-$prefix-sessions" --spring.kafka.streams.state-dir="$RUN/state-$prefix" \
    --pipeline.sessions.inactivity-gap=$SESSION_GAP \
    --pipeline.sink.key-prefix="$prefix:" "${APP_EXTRA[@]}" "$@" >>"$RUN/app-$prefix.log" 2>&1 &
  APP_PID=$!
}
drain_app() { # topic prefix, scenario, timed events, app args...: preload the warm-up, start the app, time the drain
  local prefix=$1 scenario=$2 events=$3; shift 3
  bench flush-redis # every timed scenario starts with an empty Redis (Bench.flushRedis says why)
  bench preload --local.topic="$prefix-s0" --local.events="$WARMUP"
  start_app "$prefix" "$@"
  local sessions=--local.sessions-app-id="bench-$prefix-sessions"
  [[ " $* " == *" --pipeline.sessions.enabled=false "* ]] && sessions=
  bench drain --local.scenario="$scenario" --local.topic="$prefix-s0" --local.app-pid="$APP_PID" \
    --local.events="$events" --local.warmup="$WARMUP" ${BENCH_JFR:+--local.jfr="$PWD/$RUN/drain-$scenario.jfr"} \
    $sessions
}
cleanup() {
  local pid
  for pid in "${APP_PID:-}" "${A_PID:-}" "${B_PID:-}"; do [[ -n $pid ]] && stop_pid "$pid"; done
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
}
trap cleanup EXIT

echo "bench: starting broker, Redis and the model server"
start_tracked kafka $KAFKA_PORT --local.kafka-port=$KAFKA_PORT --local.kafka-controller-port=$CONTROLLER_PORT \
  --local.kafka-data="$RUN/kafka"
start_tracked redis $REDIS_PORT --local.redis-port=$REDIS_PORT
start_tracked model-server $MODEL_PORT --local.model-port=$MODEL_PORT
# The pieces a deployment runs on their own machines (broker, Redis, model server) at a higher priority than the app
# and the harness, for the app and the floor alike: on two cores the kernel's fair share between ~300 threads left
# single-threaded redis-server runnable but waiting 67% of the time at 80% load, and the broker's and model server's
# request threads queued behind the app's (docs/benchmarks.md, latency against the floor). BENCH_NICE= turns it off.
NICE=${BENCH_NICE-redis=-10 kafka=-10 model-server=-10}
set_nice "$NICE"
echo "nice=$NICE" >>"$RESULTS"

if step relay; then
echo "bench: 1/4 null relay, $EVENTS events after $WARMUP warm-up events"
bench flush-redis
bench relay --local.events="$EVENTS" --local.warmup="$WARMUP" --local.delivery=$RELAY_DELIVERY
fi

if step drain; then
# Exactly-once with the session stage on (its own throughput and CPU, and what it costs the event path), then the
# event path alone at-least-once and exactly-once: the exactly-once app last, it stays up, warm and idle, for the open
# loop below. The session stage is off for the targets: on 2 cores it takes in fewer events per second than the event
# path (docs/benchmarks.md), so a load at a share of the event path's rate would measure its backlog instead.
for mode in sessions alo eos; do
  delivery=exactly-once; [[ $mode == alo ]] && delivery=at-least-once
  sessions=false; [[ $mode == sessions ]] && sessions=true
  echo "bench: 2/4 drain, $delivery, sessions $sessions, $EVENTS events after $WARMUP warm-up events"
  drain_app "$mode" "$mode" "$EVENTS" --pipeline.kafka.delivery=$delivery --pipeline.sessions.enabled=$sessions
  echo "$mode.events=$EVENTS" >>"$RESULTS"
  echo "$mode.warmup=$WARMUP" >>"$RESULTS"
  if [[ $mode == eos ]] && step load; then LOAD_PREFIX=eos; else stop_pid "$APP_PID"; APP_PID=; fi
done
fi

if step seed; then
echo "bench: 3/4 seed-style baseline, up to $SEED_EVENTS events or $SEED_SECONDS s"
bench seed --local.events=$SEED_EVENTS --local.seconds=$SEED_SECONDS
fi

if step load; then
FULL_RATE=${BENCH_RATE:-$(grep '^eos.events_per_s=' "$RESULTS" | cut -d= -f2)}
rate_at() { awk -v r="$FULL_RATE" -v p="$1" 'BEGIN { printf "%d", r * p / 100 }'; }
load_args() { # prefix: the app's stage groups and topics
  echo --local.group="bench-$1" --local.topic="$1-s0" --local.features-topic="$1-s1" --local.predictions-topic="$1-s2"
}
load_warmup() { # scenario label, prefix: group traffic at the new pace, not measured
  echo "bench: 4/4 open loop warm-up ${1:+($1) }(not measured)"
  bench load --local.scenario="${1}warmup" --local.rate="$(rate_at 25)" --local.seconds=20 $(load_args "$2") >/dev/null
}
load_phase() { # scenario label, prefix, load %, seconds
  echo "bench: 4/4 open loop ${1:+($1) }at $3% = $(rate_at "$3") events/s for $4 s"
  bench load --local.scenario="${1}load$3" --local.rate="$(rate_at "$3")" --local.seconds="$4" $(load_args "$2")
}
# The open loop measures the exactly-once drain's app, still running and warm. A fresh JVM was still compiling two
# minutes in (C2 used 20% of a core of the app's 0.8 during a phase at 11,000 events/s after a 20 s warm-up), so
# when run without the drain step the app gets the drains' warm-up first (the session stage off, as in that drain).
if [[ -z "${LOAD_PREFIX:-}" ]]; then
  LOAD_PREFIX=lat
  echo "bench: 4/4 warming a fresh app with $WARMUP events"
  drain_app lat latwarm 1 --pipeline.sessions.enabled=false >/dev/null
fi
if [[ -z "${BENCH_B_APP_ARGS:-}${BENCH_B_APP_JVM:-}${BENCH_B_APP_GC:-}${BENCH_B_NICE:-}${BENCH_B_JAR:-}" ]]; then
  load_warmup "" "$LOAD_PREFIX"
  i=0
  for pct in 25 50 80; do load_phase "" "$LOAD_PREFIX" $pct "${LOAD_SECONDS[$i]}"; i=$((i + 1)); done
  stop_pid "$APP_PID"; APP_PID=
else
  # An A/B in one run: a second app, warmed the same way, with BENCH_B_APP_ARGS / BENCH_B_APP_JVM added (or the jar
  # BENCH_B_JAR) and the pieces at nice levels BENCH_B_NICE during its phases; its results are the b* scenarios,
  # against the same floor. The two apps' phases alternate, A B at 25%, B A at 50%, A B at 80%, each followed by
  # waiting for that app to catch up: run one after the other, the second app met a broker and model server that had
  # worked for longer and measured up to 1.9 x better whatever it was (docs/benchmarks.md).
  A_PID=$APP_PID A_PREFIX=$LOAD_PREFIX A_PORT=$APP_PORT B_PORT=$((APP_PORT + 1))
  APP_JAR=${BENCH_B_JAR:-}
  read -r -a more <<<"${BENCH_B_APP_ARGS:-}"; APP_EXTRA+=(${more[@]+"${more[@]}"})
  read -r -a more <<<"${BENCH_B_APP_JVM:-}"; APP_JVM+=(${more[@]+"${more[@]}"})
  [[ -n "${BENCH_B_APP_GC:-}" ]] && read -r -a APP_GC <<<"$BENCH_B_APP_GC"
  echo "bench: 4/4 B: ${BENCH_B_JAR:-} ${BENCH_B_APP_ARGS:-} ${BENCH_B_APP_JVM:-} ${BENCH_B_APP_GC:-} ${BENCH_B_NICE:+nice $BENCH_B_NICE}"
  APP_PORT=$B_PORT
  drain_app latb latwarm 1 --pipeline.sessions.enabled=false >/dev/null
  B_PID=$APP_PID
  as_app() { # A|B: the port the bench steps scrape, and the pieces' nice levels, for that app's phases
    if [[ $1 == B ]]; then
      APP_PORT=$B_PORT; [[ -n "${BENCH_B_NICE:-}" ]] && set_nice "$BENCH_B_NICE"
    else
      APP_PORT=$A_PORT; [[ -n "${BENCH_B_NICE:-}" ]] && set_nice "$(echo "$BENCH_B_NICE" | sed 's/=-*[0-9]*/=0/g') $NICE"
    fi
    return 0
  }
  run_as() { # A|B, load %, seconds: one phase of that app, then waiting (up to a minute) until it has caught up
    local label=b prefix=latb
    [[ $1 == A ]] && label= prefix=$A_PREFIX
    as_app "$1"
    load_phase "$label" "$prefix" "$2" "$3"
    bench settle $(load_args "$prefix") --local.rate="$(rate_at "$2")" --local.seconds=60
  }
  as_app A; load_warmup "" "$A_PREFIX"
  as_app B; load_warmup b latb
  # BENCH_B_FIRST=1 swaps every pair (B A, A B, B A): at 80% the second app of the pair did worse in every A-first run.
  first=A second=B
  [[ -n "${BENCH_B_FIRST:-}" ]] && first=B second=A
  run_as $first 25 "${LOAD_SECONDS[0]}"; run_as $second 25 "${LOAD_SECONDS[0]}"
  run_as $second 50 "${LOAD_SECONDS[1]}"; run_as $first 50 "${LOAD_SECONDS[1]}"
  run_as $first 80 "${LOAD_SECONDS[2]}"; run_as $second 80 "${LOAD_SECONDS[2]}"
  as_app A
  stop_pid "$A_PID"; stop_pid "$B_PID"; APP_PID=
fi
fi

if step floor; then
FULL_RATE=${BENCH_RATE:-$(grep '^eos.events_per_s=' "$RESULTS" | cut -d= -f2)}
for pct in 50 80; do
  rate=$(awk -v r="$FULL_RATE" -v p="$pct" 'BEGIN { printf "%d", r * p / 100 }')
  echo "bench: 4/4 latency floor: null relay at $pct% = $rate events/s for $FLOOR_SECONDS s"
  bench relay-load --local.scenario="relayload$pct" --local.rate="$rate" --local.seconds="$FLOOR_SECONDS" \
    --local.warmup="$FLOOR_WARMUP" --local.delivery=$RELAY_DELIVERY
done
fi

[[ "$STEPS" == "relay drain seed load floor" ]] || exit 0
echo
bench report --local.mode=$MODE --local.docs="$DOCS"
