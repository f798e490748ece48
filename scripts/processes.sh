# Sourced by chaos/run.sh and the bench/ scripts: build the pieces once, start them as processes, wait for and stop
# them.
# The caller sets LOG_PREFIX (for messages) and runs from the project root.

# Packages the app jar and writes the test classpath to $1/classpath.txt; sets CP (for LocalStack) and JAR.
build_jar_and_classpath() { # work dir
  echo "$LOG_PREFIX: building the app jar and the test classpath"
  ./mvnw -q -B -DskipTests package
  ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$1/classpath.txt" >/dev/null
  CP="target/test-classes:target/classes:$(cat "$1/classpath.txt")"
  JAR=$(ls target/stream-inference-*.jar | grep -v original | head -1)
}

# Refuses a port something already listens on: waiting for it would then "succeed" against a leftover process.
require_free_port() { # port, what
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    echo "$LOG_PREFIX: port $1 for $2 is already in use (a leftover from an earlier run?)" >&2; return 1
  fi
}

wait_port() { # port, what: up to 2 minutes
  for _ in $(seq 1 240); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "$LOG_PREFIX: $2 did not open port $1" >&2; return 1
}

# Starts one piece of the local stack (LocalStack <name>: kafka, redis, model-server) in the background, its output
# appended to $RUN/<name>.log, and waits for its port. PIECE_PID is java itself (not a subshell), so stopping that pid
# stops the piece.
start_piece() { # name, port, options...
  local name=$1 port=$2; shift 2
  require_free_port "$port" "$name"
  java -cp "$CP" io.streaminference.local.LocalStack "$name" "$@" >>"$RUN/$name.log" 2>&1 &
  PIECE_PID=$!
  wait_port "$port" "$name"
}

wait_closed() { # pid: up to 1 minute, then SIGKILL
  for _ in $(seq 1 120); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.5; done
  kill -9 "$1" 2>/dev/null || true
}

stop_pid() { # pid: SIGTERM, then wait_closed
  kill "$1" 2>/dev/null || return 0
  wait_closed "$1"
}
