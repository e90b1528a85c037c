#!/usr/bin/env bash
# results/gpu: turns what one device call brought back (its $OUT: runs.tar.xz, run.log,
# device.txt) into the tables and charts of results/gpu/ (see README.md here).
#
# Usage, from anywhere:   bash results/gpu/collect.sh DIR      (DIR: the call's files, e.g. /work/.device/1)
#
# Output, in results/gpu/: fashion-mnist/ and kjv/, each with summary.csv and summary.md (one row
# per run: steps, minutes, last and best evaluation), by-model.csv and by-model.md (mean, sd, min,
# max over seeds), comparison.png and metrics-RUN.csv (every epoch row, every 50th step row);
# kjv/validation.csv (validation bits per character at every epoch end); probe.csv (seconds a
# step of each run in the probe, all runs sharing the GPU); device.txt and run.log as they came.
source "$(dirname "$0")/../lib.sh"
from="${1:?usage: collect.sh DIR, the folder with the files of the device call (runs.tar.xz, run.log, device.txt)}"
[ -f "$from/runs.tar.xz" ] || { echo "no runs.tar.xz in $from: give the folder the device call's files came back to"; exit 2; }
out="$RESULTS/gpu"; tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
tar -C "$tmp" -xJf "$from/runs.tar.xz"
cp "$from/device.txt" "$from/run.log" "$out/"

{ echo "run,seconds_per_step"   # the probe figures steps.sh sized the epochs with
  awk '/^probe .* s\/step/ { sub(/:$/, "", $2); print $2 "," $3 }' "$from/run.log"; } > "$out/probe.csv"

for part in fashion-mnist:fm kjv:lm; do
  dir="$out/${part%%:*}"; mkdir -p "$dir"
  runs=("$tmp/${part#*:}"-*/)
  runs=("${runs[@]%/}")
  for run in "${runs[@]}"; do thin_metrics "$run" "$dir/metrics-$(basename "$run").csv"; done
  compare_seeds "$dir" "${runs[@]}"
done
validation_table "$out/kjv/validation.csv" "$tmp"/lm-*/
