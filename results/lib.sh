# Shared by the results/*.sh scripts (source it; not run on its own): where runs and results go,
# smoke mode, a resumable train call, and the mean/spread table over seeds.
#
# Environment:
#   SMOKE=1       a check of the script end to end: every run capped at 5 steps on at most 512
#                 examples (MOELAB_SMOKE=1, MOELAB_MAX_STEPS=5), runs and results written into a
#                 temporary directory (printed; SMOKE_DIR=DIR picks it), never into results/.
#   RUNS=DIR      where the run directories go (default runs/, ignored by git)
#   RESULTS=DIR   where the tables and charts go (default results/)
#   THREADS=N     OMP_NUM_THREADS for every run (default: PyTorch's, all cores). Use THREADS=1
#                 when the machine is not quiet: two threads sharing the cores with one other busy
#                 process measured 2.03 s/step for sparse-mlp-tiny against 0.27 s on one thread.
# A run whose directory holds done.txt is finished and is not trained again; one with a
# checkpoint but no done.txt (interrupted) is resumed from it with `moelab train --resume`. So
# rerunning a script after an interruption continues where it stopped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ -n "${SMOKE:-}" ] && [ "${SMOKE}" != 0 ]; then
  SMOKE=1
  smoke_dir="${SMOKE_DIR:-$(mktemp -d /tmp/moelab-smoke.XXXXXX)}"
  RUNS="$smoke_dir/runs"; RESULTS="$smoke_dir/results"
  export MOELAB_SMOKE=1 MOELAB_MAX_STEPS="${MOELAB_MAX_STEPS:-5}"
  echo "smoke mode: 5 steps a run, everything in $smoke_dir"
else
  SMOKE=0
  RUNS="${RUNS:-runs}"; RESULTS="${RESULTS:-results}"
fi
mkdir -p "$RUNS" "$RESULTS"
if [ -n "${THREADS:-}" ]; then export OMP_NUM_THREADS="$THREADS"; fi
[ -d toolkit/target/classes ] || ./moelab build

# train GROUP/NAME [moelab train options...]: trains into $RUNS/GROUP/NAME (log: NAME.log beside
# it), resuming an interrupted run, skipping a finished one. NAME labels the run in the summary
# tables and chart legends (`moelab compare` uses the directory name), so keep it short.
train() {
  local name="$1" dir="$RUNS/$1"; shift
  mkdir -p "$(dirname "$dir")"
  if [ -f "$dir/done.txt" ]; then
    echo "$(date -u +%H:%M) $name: finished before, kept"
    return 0
  fi
  echo "$(date -u +%H:%M) $name: training ($*)"
  if [ -f "$dir/checkpoint.ckpt" ] || [ -f "$dir/checkpoint.previous.ckpt" ]; then
    local data=() a prev=""   # the checkpoint holds every setting but where the data lives
    for a in "$@"; do [ "$prev" = --data-dir ] && data=(--data-dir "$a"); prev="$a"; done
    MOELAB_PROGRESS=lines ./moelab train --out "$dir" --resume "${data[@]}" >> "$RUNS/$name.log" 2>&1
  else
    MOELAB_PROGRESS=lines ./moelab train --out "$dir" "$@" > "$RUNS/$name.log" 2>&1
  fi || { echo "$name failed; the end of $RUNS/$name.log:"; tail -5 "$RUNS/$name.log"; return 1; }
  tail -1 "$RUNS/$name.log" > "$dir/done.txt"
  echo "$(date -u +%H:%M) $name: $(cat "$dir/done.txt")"
}

# seed_spread SUMMARY_CSV OUT_PREFIX: groups the runs of a `moelab compare` summary.csv by name
# without its "-sSEED" suffix; writes OUT_PREFIX.csv and OUT_PREFIX.md with, per group, the number
# of seeds, the mean, standard deviation (n - 1), min and max of the last evaluation (column 5:
# eval_accuracy or eval_bpc), the mean of the best evaluation (column 6) and the mean minutes.
seed_spread() {
  awk -F, -v md="$2.md" '
    NR == 1 { metric = $5; best = $6; next }
    { g = $1; sub(/-s[0-9]+$/, "", g)
      if (!(g in n)) order[++k] = g
      n[g]++; s[g] += $5; ss[g] += $5 * $5; b[g] += $6; m[g] += $3
      if (!(g in lo) || $5 < lo[g]) lo[g] = $5
      if (!(g in hi) || $5 > hi[g]) hi[g] = $5 }
    END {
      printf "model,seeds,mean_%s,sd_%s,min_%s,max_%s,mean_%s,mean_minutes\n", metric, metric, metric, metric, best
      printf "| model | seeds | mean %s | sd | min | max | mean %s | mean minutes |\n|---|---:|---:|---:|---:|---:|---:|---:|\n", metric, best > md
      for (i = 1; i <= k; i++) { g = order[i]; mu = s[g] / n[g]
        v = n[g] > 1 ? (ss[g] - n[g] * mu * mu) / (n[g] - 1) : 0; sd = v > 0 ? sqrt(v) : 0
        printf "%s,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.2f\n", g, n[g], mu, sd, lo[g], hi[g], b[g] / n[g], m[g] / n[g]
        printf "| %s | %d | %.4f | %.4f | %.4f | %.4f | %.4f | %.1f |\n", g, n[g], mu, sd, lo[g], hi[g], b[g] / n[g], m[g] / n[g] > md }
    }' "$1" > "$2.csv"
}

# compare_seeds OUT RUN_DIR...: the runs' summary and charts (`moelab compare`), their mean and
# spread over seeds (seed_spread, OUT/by-model.*), both tables printed.
compare_seeds() {
  local out="$1"; shift
  ./moelab compare --out "$out" "$@"
  seed_spread "$out/summary.csv" "$out/by-model"
  cat "$out/summary.md" "$out/by-model.md"
}

# validation_table OUT RUN...: validation bits per character at every epoch end of each run
validation_table() {
  local out="$1"; shift
  echo "run,epoch,step,eval_bpc" > "$out"
  for run in "$@"; do
    awk -F, -v r="$(basename "$run")" '$1 == "epoch" { print r "," $2 "," $3 "," $12 }' \
      "$run/metrics.csv" >> "$out"
  done
}

# thin_metrics RUN_DIR OUT_CSV: the run's metrics.csv with every epoch row and every 50th step
# row, to keep results/ small
thin_metrics() {
  awk -F, 'NR == 1 || $1 == "epoch" || $3 % 50 == 0' "$1/metrics.csv" > "$2"
}
