#!/usr/bin/env bash
# Summarises a Flight Recorder file from bench/run.sh (BENCH_JFR=1): the methods most often on top of the stack
# (self time) and the packages they belong to, from jdk.ExecutionSample events.
#   bench/hot-methods.sh target/bench/run/app-eos.jfr [top-n]
set -euo pipefail
FILE=$1 TOP=${2:-25}
jfr print --events jdk.ExecutionSample "$FILE" | awk '
  /stackTrace = \[/ { getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); top[$0]++; n++;
                      split($0, parts, "."); pkg = parts[1] "." parts[2] "." parts[3]; pkgs[pkg]++ }
  END {
    printf "%d samples\n\nself time by method:\n", n
    for (m in top) printf "%6.2f%%  %s\n", 100 * top[m] / n, m | "sort -rn | head -'"$TOP"'"
    close("sort -rn | head -'"$TOP"'")
    printf "\nself time by package prefix:\n"
    for (p in pkgs) printf "%6.2f%%  %s\n", 100 * pkgs[p] / n, p | "sort -rn | head -15"
  }'
