#!/usr/bin/env bash
# Seconds per training step of one config, for sizing the long runs (the results/*.sh headers
# quote what this printed). Trains STEPS steps into a temporary directory (deleted afterwards)
# and times steps 10..STEPS, which leaves out JVM start-up, data loading and the first steps'
# warm-up. Two figures:
#   wall s/step  from metrics.csv's elapsed_s: what this machine gave, under its current load;
#   CPU s/step   user + system CPU seconds the JVM burnt over the same steps (/proc/PID/stat):
#                hardly changed by other work sharing the cores, so with THREADS=1 it is the
#                wall s/step of a quiet machine on one thread, an upper bound for two threads.
# Also prints the load average before and after: wall s/step under load scales roughly with
# load / cores once the load exceeds the cores.
#
# Usage, from anywhere:
#   bash results/measure.sh CONFIG DATASET BATCH [STEPS] [-- extra train options, e.g. --set k=v]
#   THREADS=1 bash results/measure.sh sparse-mlp-tiny fashion-mnist 128 60
#   (THREADS sets OMP_NUM_THREADS; unset: PyTorch's default, all cores; NICE=-19 runs it at
#   high priority, which helps only against work in the same scheduling group)
# Takes STEPS × (wall s/step) plus ~20 s of start-up and one evaluation pass.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { sed -n '2,18p' "$0"; exit 2; }
config="$1"; dataset="$2"; batch="$3"; shift 3; steps=60
if [ $# -gt 0 ] && [ "$1" != "--" ]; then steps="$1"; shift; fi
if [ "${1:-}" = "--" ]; then shift; fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
[ -n "${THREADS:-}" ] && export OMP_NUM_THREADS="$THREADS"
before=$(cut -d' ' -f1 /proc/loadavg)
MOELAB_PROGRESS=off nice -n "${NICE:-0}" ./moelab train --config "$config" --dataset "$dataset" \
  --batch-size "$batch" --epochs 1 --max-steps "$steps" --checkpoint-every 0 --out "$tmp/run" "$@" \
  > "$tmp/log" 2>&1 &
pid=$!
cpu() { awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo; }
laststep() { awk -F, '$1 == "step" { s = $3 } END { print s + 0 }' "$tmp/run/metrics.csv" 2>/dev/null || echo 0; }
c10=""; cN=""
while kill -0 "$pid" 2>/dev/null; do
  s=$(laststep)
  if [ -z "$c10" ] && [ "$s" -ge 10 ]; then c10=$(cpu); s10=$s; fi
  if [ -z "$cN" ] && [ "$s" -ge "$steps" ]; then cN=$(cpu); sN=$s; fi
  sleep 0.2
done
wait "$pid" || { cat "$tmp/log"; exit 1; }
after=$(cut -d' ' -f1 /proc/loadavg)
hz=$(getconf CLK_TCK)
cpus=$(awk -v a="${c10:-0}" -v b="${cN:-0}" -v s0="${s10:-0}" -v s1="${sN:-0}" -v hz="$hz" \
  'BEGIN { if (b > a && s1 > s0) printf "%.3f", (b - a) / hz / (s1 - s0); else print "n/a" }')
awk -F, -v c="$config" -v b="$batch" -v l0="$before" -v l1="$after" -v x="$*" -v cpus="$cpus" \
    -v th="${OMP_NUM_THREADS:-default}" '
  $1 == "step" { if ($3 == 10) t10 = $15; last = $3; tl = $15 }
  END { if (t10 == "" || last <= 10) { print "too few steps to time (need > 10)"; exit 1 }
        s = (tl - t10) / (last - 10)
        printf "%s %s batch %d, threads %s: wall %.3f s/step (steps 10-%d), CPU %s s/step; load average %s -> %s\n",
               c, x, b, th, s, last, cpus, l0, l1 }' "$tmp/run/metrics.csv"
