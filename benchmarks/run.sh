#!/usr/bin/env bash
# Runs the TrainLog benchmark suite (issue 7) and prints one markdown table of medians, spreads,
# baselines from the same run, ratios and targets; also writes it to benchmarks/RESULTS.md.
# Usage: bash benchmarks/run.sh            (from the repository root or anywhere)
# Knobs (environment): REPEATS (harness repeats, B4 paired included, default 5), B6_REPEATS (default 3),
#   B2_STEPS (default 100000), JMH_ARGS (default "-f 1 -wi 3 -i 5 -w 1s -r 1s"),
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

echo "== building (mvn -Pbenchmarks -pl benchmarks -am package)"
mvn -B -q -ntp -Pbenchmarks -pl benchmarks -am -DskipTests package
jar="$root/benchmarks/target/benchmarks.jar"
rm -rf "$results" && mkdir -p "$results"
java -version > "$results/java-version.txt" 2>&1

echo "== B1: caller cost of log() (JMH, -prof gc)"
java -jar "$jar" 'B1LogCallBenchmark' $jmh_args -jvmArgs "$jvm_args" -prof gc -rf json -rff "$results/b1.json" > "$results/b1.log" 2>&1
grep -E '^(Benchmark|B1)' "$results/b1.log" || true

echo "== B4: TensorBoard write (JMH)"
java -jar "$jar" 'B4TensorBoardBenchmark' $jmh_args -jvmArgs "$jvm_args" -rf json -rff "$results/b4.json" > "$results/b4.log" 2>&1
grep -E '^(Benchmark|B4)' "$results/b4.log" || true

echo "== B4 paired: TensorBoard write and the buffered stream, timed in alternation"
java $jvm_args -cp "$jar" dev.trainlog.benchmarks.B4Paired "$repeats" 2000 "$results/b4-paired.json"

echo "== B2: training-loop slowdown"
java $jvm_args -cp "$jar" dev.trainlog.benchmarks.B2TrainingLoop "$b2_steps" "$repeats" "$results/b2.json"

echo "== B3: MongoDB ingest"
java $jvm_args -cp "$jar" dev.trainlog.benchmarks.B3MongoIngest 100000 "$repeats" "$results/b3.json"

echo "== B5: MLflow requests and wall time"
java $jvm_args -cp "$jar" dev.trainlog.benchmarks.B5Mlflow 20000 "$repeats" "$results/b5.json"

echo "== B6: 1M steps with every backend down, -Xmx128m"
java -Xmx128m -cp "$jar" dev.trainlog.benchmarks.B6Outage 1000000 "$b6_repeats" "$results/b6.json"

echo "== B9: TensorBoard import against EventAccumulator, follower latency (builds cli/target/trainlog.jar)"
mvn -B -q -ntp -pl cli -am -DskipTests package
if [ ! -x /tmp/b9venv/bin/python ]; then
  python3 -m venv /tmp/b9venv && /tmp/b9venv/bin/pip install -q --index-url file:///opt/pypi/simple tensorboard || true
fi
java $jvm_args -cp "$jar" dev.trainlog.benchmarks.B9TensorBoardImport "$root/cli/target/trainlog.jar" 1000000 3 \
  "$results/b9.json" /tmp/b9venv/bin/python

seconds=$(( $(date +%s) - start ))
echo
java -cp "$jar" dev.trainlog.benchmarks.ResultsTable "$results" "$root/benchmarks/RESULTS.md" "$seconds" "$load_at_start"
