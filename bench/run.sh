#!/usr/bin/env bash
# Runs every moelab benchmark and the PyTorch reference in one go and writes the results table.
#
#   bench/run.sh [--quick] [--out DIR] [-- JMH_ARGS...]
#
# Steps: build the bench module (tests skipped), record the machine, run all JMH benchmarks
# (layer forward+backward, router, dispatch+combine, training step), the paired MoE/dense ratios,
# the step profile, the memory probe and the PyTorch reference script (skipped with a note when
# /usr/bin/python3 has no torch), then write DIR/results.csv and DIR/results.md (default DIR:
# bench/results). 2 threads everywhere. About 20 minutes on 2 cores.
# --quick: E = 8 layer cases only, one short iteration each (checks the pipeline, not a figure).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/results"
QUICK=0
JMH_ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) QUICK=1; shift ;;
    --out) OUT="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
    --) shift; JMH_ARGS=("$@"); break ;;
    *) echo "usage: bench/run.sh [--quick] [--out DIR] [-- JMH_ARGS...]" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
PYTHON=/usr/bin/python3
export OMP_NUM_THREADS=2
# Idle OpenMP threads sleep instead of spinning: on a CPU shared with other work, spinning threads
# at the barrier of every parallel operation cost more than the operation (measured: 8 expert-sized
# matmuls 3-5x slower than one big one under load with the default, equal with PASSIVE). Applies
# to DJL's libtorch and to the PyTorch script alike.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

cd "$ROOT"
echo "bench: building (./mvnw -B -q package -pl bench -am, tests skipped)"
./mvnw -B -q package -pl bench -am -Dmaven.test.skip=true dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
CP="$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/classpath.txt")"
JAVA_OPTS=(-Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1)
# DJL's start-up lines, and the errors a routing logs when its manager closes after an NDScope
# has freed its indices (harmless for the figures), are left out of the logs.
quiet() { grep --line-buffered -v -E '^\[main\] (INFO|WARN)'; }

machine() {
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
  echo "memory: $(free -g | awk '/^Mem:/ {print $2}') GiB"
  echo "jdk: $(java -version 2>&1 | head -1)"
  echo "djl: $(sed -n 's:.*<djl.version>\(.*\)</djl.version>.*:\1:p' pom.xml), libtorch $(sed -n 's:.*<pytorch.version>\(.*\)</pytorch.version>.*:\1:p' pom.xml) (cpu)"
  echo "jmh: $(sed -n 's:.*<jmh.version>\(.*\)</jmh.version>.*:\1:p' pom.xml)"
  echo "python torch: $("$PYTHON" -c 'import torch; print(torch.__version__)' 2>/dev/null || echo 'not installed')"
  echo "blas: $(readlink -f /etc/alternatives/libblas.so.3-x86_64-linux-gnu 2>/dev/null || echo unknown)"
}
machine | tee "$OUT/machine.txt"
echo "threads: 2 intra-op (DJL ai.djl.pytorch.num_threads, torch.set_num_threads), OMP_WAIT_POLICY=$OMP_WAIT_POLICY" | tee -a "$OUT/machine.txt"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"

if [[ $QUICK == 1 ]]; then
  JMH_ARGS=(-p layer=dense-k1,moe-E8-k1-cf1.25-padded,moe-E8-k1-cf1.25-sorted
            -p routing=E8-k1 -p model=sparse-mlp-tiny,mixer-tiny-eqflop -wi 1 -i 1 -w 1 -r 1 "${JMH_ARGS[@]}")
fi
echo "bench: JMH"
java -cp "$CP" org.openjdk.jmh.Main -rf json -rff "$OUT/jmh.json" "${JMH_ARGS[@]}" \
  2>&1 | quiet | tee "$OUT/jmh.log"
echo "load average after JMH: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"

echo "bench: paired ratios"
PAIRED_CASES=()
for e in 1 4 8 16 64; do  # top-1 (the issue's targets), both capacity modes and executions
  for cf in cf1.25 dropless; do
    for x in padded sorted; do PAIRED_CASES+=("moe-E$e-k1-$cf-$x"); done
  done
done
[[ $QUICK == 1 ]] && PAIRED_CASES=(moe-E8-k1-cf1.25-padded moe-E8-k1-cf1.25-sorted)
java "${JAVA_OPTS[@]}" -cp "$CP" moelab.bench.PairedRatio "$OUT/paired.csv" 5 "${PAIRED_CASES[@]}" \
  2>&1 | quiet

echo "bench: where the time goes"
java "${JAVA_OPTS[@]}" -cp "$CP" moelab.bench.LayerProfile 10 moe-E1-k1-cf1.25-sorted \
  moe-E8-k1-cf1.25-sorted moe-E64-k1-cf1.25-sorted moe-E8-k1-cf1.25-padded \
  moe-E8-k2-cf1.25-sorted 2>&1 | quiet \
  | tee "$OUT/profile.txt"

echo "bench: memory"
MEMORY_CASES=()
[[ $QUICK == 1 ]] && MEMORY_CASES=(dense-k1 moe-E8-k1-cf1.25-padded moe-E8-k1-cf1.25-sorted)
MALLOC_MMAP_THRESHOLD_=65536 java "${JAVA_OPTS[@]}" -cp "$CP" moelab.bench.LayerMemory \
  "$OUT/memory.csv" "${MEMORY_CASES[@]}" 2>&1 | quiet

echo "bench: PyTorch reference"
if "$PYTHON" -c 'import torch' 2>/dev/null; then
  "$PYTHON" bench/reference/bench_moe.py "$OUT/torch.csv" $([[ $QUICK == 1 ]] && echo --quick)
else
  echo "bench: $PYTHON has no torch (apt-get install python3-torch libopenblas0-pthread);" \
       "the table has no PyTorch columns" | tee -a "$OUT/machine.txt"
  rm -f "$OUT/torch.csv"
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"

java -cp "$CP" moelab.bench.Report "$OUT/jmh.json" "$OUT/torch.csv" "$OUT/memory.csv" \
  "$OUT/paired.csv" "$OUT" > /dev/null
echo "bench: wrote $OUT/results.csv and $OUT/results.md"
