#!/usr/bin/env bash
# Runs the TrainLog benchmark suite (issue 7) and prints one markdown table of medians, spreads,
# baselines from the same run, ratios and targets; also writes it to benchmarks/RESULTS.md.
# Usage: bash benchmarks/run.sh            (from the repository root or anywhere)
# Knobs (environment): REPEATS (harness repeats, default 5), B6_REPEATS (default 3),
#   B2_STEPS (default 100000), JMH_ARGS (default "-f 1 -wi 3 -i 5 -w 1s -r 1s"),
#   B4_STEPS (default 100000) and B4_REPEATS (default 3) for B4 against the Python writers;
#   B4_VENV, a Python venv holding torch, tensorboard and tensorboardX (default benchmarks/target/b4-venv;
#   B4 runs without the Python writers when it has no bin/python), and B4_MAKE_VENV=1 to create it first
#   from the package index pip is set up with (a CPU build of torch; TORCH_SPEC, default
#   "torch==2.13.0+cpu", falling back to plain "torch"),
#   JVM_ARGS for every JVM but B6's (default "-Xms1g -Xmx1g -XX:+AlwaysPreTouch": a fixed, pre-touched
#   heap, because first-touch page faults while the heap grows swamp the first seconds of a run).
# shellcheck disable=SC2086  # the *_args variables are word lists on purpose
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
start=$(date +%s)
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
repeats="${REPEATS:-5}"
b6_repeats="${B6_REPEATS:-3}"
b2_steps="${B2_STEPS:-100000}"
jmh_args="${JMH_ARGS:--f 1 -wi 3 -i 5 -w 1s -r 1s}"
jvm_args="${JVM_ARGS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}"
results="$root/benchmarks/target/results"
b4_steps="${B4_STEPS:-100000}"
b4_repeats="${B4_REPEATS:-3}"
b4_venv="${B4_VENV:-$root/benchmarks/target/b4-venv}"

echo "== building (mvn -Pbenchmarks -pl benchmarks -am package)"
mvn -B -q -ntp -Pbenchmarks -pl benchmarks -am -DskipTests package
jar="$root/benchmarks/target/benchmarks.jar"
rm -rf "$results" && mkdir -p "$results"
java -version > "$results/java-version.txt" 2>&1

echo "== B1: caller cost of log() (JMH, -prof gc)"
java -jar "$jar" 'B1LogCallBenchmark' $jmh_args -jvmArgs "$jvm_args" -prof gc -rf json -rff "$results/b1.json" > "$results/b1.log" 2>&1
grep -E '^(Benchmark|B1)' "$results/b1.log" || true

echo "== B4: TensorBoard backend write (JMH)"
java -jar "$jar" 'B4TensorBoardBenchmark' $jmh_args -jvmArgs "$jvm_args" -rf json -rff "$results/b4.json" > "$results/b4.log" 2>&1
grep -E '^(Benchmark|B4)' "$results/b4.log" || true

if [ "${B4_MAKE_VENV:-0}" = 1 ] && [ ! -x "$b4_venv/bin/python" ]; then
  echo "== B4: creating the Python venv $b4_venv"
  python3 -m venv "$b4_venv"
  "$b4_venv/bin/pip" install -q tensorboard tensorboardX numpy
  "$b4_venv/bin/pip" install -q --no-deps "${TORCH_SPEC:-torch==2.13.0+cpu}" || "$b4_venv/bin/pip" install -q --no-deps torch
fi
b4_python=""
if [ -x "$b4_venv/bin/python" ]; then
  b4_python="$b4_venv/bin/python"
else
  echo "B4: no venv at $b4_venv (B4_MAKE_VENV=1 creates one): TrainLog's rows only, no Python writers"
fi
echo "== B4: scalars/s through the dispatcher against the Python writers, $b4_steps steps, $b4_repeats repeats"
java $jvm_args -cp "$jar" dev.trainlog.benchmarks.B4VsPython "$b4_steps" "$b4_repeats" "$results/b4-python.json" \
  "$b4_python" "$root/benchmarks/b4_python_writers.py"

echo "== B2: training-loop slowdown"
java $jvm_args -cp "$jar" dev.trainlog.benchmarks.B2TrainingLoop "$b2_steps" "$repeats" "$results/b2.json"

echo "== B10: a 512x512 PNG every 10 steps on B2's loop: the caller's cost per image"
java $jvm_args -cp "$jar" dev.trainlog.benchmarks.B10ImagesInLoop "${B10_STEPS:-20000}" "$repeats" "$results/b10.json"

echo "== B10 pages: the kernel's cost of new page-cache pages for an image, without TrainLog"
java $jvm_args -cp "$jar" dev.trainlog.benchmarks.B10PageCost 4000 "$repeats" "$results/b10-pages.json"

echo "== B2 with system metrics off, every 10 s and every 1 s, back to back"
java $jvm_args -cp "$jar" dev.trainlog.benchmarks.B2WithSystem "$b2_steps" "$repeats" "$results/b2-system.json"

echo "== B3: MongoDB ingest"
java $jvm_args -cp "$jar" dev.trainlog.benchmarks.B3MongoIngest 100000 "$repeats" "$results/b3.json"

echo "== B5: MLflow requests and wall time"
java $jvm_args -cp "$jar" dev.trainlog.benchmarks.B5Mlflow 20000 "$repeats" "$results/b5.json"

echo "== B6: 1M steps with every backend down, -Xmx64m"
java -Xmx64m -cp "$jar" dev.trainlog.benchmarks.B6Outage 1000000 "$b6_repeats" "$results/b6.json"
echo "== B6 with a 512x512 PNG every 1000 steps, -Xmx64m"
java -Xmx64m -cp "$jar" dev.trainlog.benchmarks.B6Outage 1000000 "$b6_repeats" "$results/b6-images.json" 1000

echo "== B7: kill -9 mid-run, and resuming a 1 GiB journal"
java $jvm_args -cp "$jar" dev.trainlog.benchmarks.B7Crash "$b6_repeats" "$results/b7.json"

echo "== B8: trainlog compare of 10 runs x 100k steps against a raw find; runs over 1000 runs"
java ${B8_JVM_ARGS:--Xms4g -Xmx4g -XX:+AlwaysPreTouch} -cp "$jar" dev.trainlog.benchmarks.B8CompareReport 10 100000 "$repeats" "$results/b8.json"

echo "== B9: TensorBoard import against EventAccumulator, follower latency (builds cli/target/trainlog.jar)"
mvn -B -q -ntp -pl cli -am -DskipTests package
if [ ! -x /tmp/b9venv/bin/python ]; then
  python3 -m venv /tmp/b9venv && /tmp/b9venv/bin/pip install -q --index-url file:///opt/pypi/simple tensorboard || true
fi
java $jvm_args -cp "$jar" dev.trainlog.benchmarks.B9TensorBoardImport "$root/cli/target/trainlog.jar" 1000000 3 \
  "$results/b9.json" /tmp/b9venv/bin/python

echo "== B12: the web view: reached-within over 1000 runs x 10k steps, /api/runs, a 1M-step chart, live latency"
java ${B10_JVM_ARGS:--Xms4g -Xmx4g} -cp "$jar" dev.trainlog.benchmarks.B10WebView 1000 10000 "$b6_repeats" "$results/b12.json"

seconds=$(( $(date +%s) - start ))
echo
java -cp "$jar" dev.trainlog.benchmarks.ResultsTable "$results" "$root/benchmarks/RESULTS.md" "$seconds" "$load_at_start"
