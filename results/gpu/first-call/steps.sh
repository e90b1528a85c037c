#!/usr/bin/env bash
# results/gpu: the steps, run by run-on-device.sh under the kit's on-device.sh (java on PATH,
# CLASSPATH set). Each step has its own time cap, so a late failure keeps what came before.
# Knobs for a local dry run: DATA, PROBE_STEPS, TRAIN_BUDGET_S (seconds of training per model),
# EPOCHS (fixed, skips the sizing), MAX_STEPS, BATCH, LR.
set -u
O="${OUT:?}"; D="${DATA:-/tmp/fmnist}"; R=/tmp/runs; mkdir -p "$R"
export MOELAB_PROGRESS=lines
budget="${TRAIN_BUDGET_S:-150}"; cap="${MAX_STEPS:-0}"
models="sparse-mlp-tiny mixer-tiny-eqflop"
bs="${BATCH:-128}"
common=(--dataset fashion-mnist --data-dir "$D" --batch-size "$bs" --lr "${LR:-2e-3}" --seed 42)
s=$(date +%s); el() { echo "$(( $(date +%s) - s )) s"; }

echo "== step 1: DJL on the GPU ($(el))"
timeout 90 java GpuCheck 2>&1 | grep -v '^\[main\] INFO' | tee -a "$O/device.txt"

echo "== step 2a: probes, $((${PROBE_STEPS:-40})) steps each ($(el))"
declare -A epochs
for m in $models; do
  timeout 90 java moelab.cli.Main train --config "$m" "${common[@]}" --epochs 1 \
    --max-steps "${PROBE_STEPS:-40}" --checkpoint-every 100000 --out "$R/probe-$m" > "$R/probe-$m.log" 2>&1
  tail -1 "$R/probe-$m.log"
  # steps/s between step 10 and the last step (leaves out start-up), then epochs for the budget
  # (60000/B training steps an epoch, its 10000/B test batches counted as steps too)
  e=$(awk -F, -v b="$budget" -v bs="$bs" '$1=="step"{ if ($3==10) t10=$15; last=$3; tl=$15 }
        END { if (t10=="" || tl<=t10) { print 2; exit }
              sps=(last-10)/(tl-t10); n=int(b*sps/(70000/bs)); if (n<1) n=1; if (n>40) n=40;
              printf "%d %.1f\n", n, sps }' "$R/probe-$m/metrics.csv" 2>/dev/null)
  [ -n "$e" ] || e=2
  echo "probe $m: epochs steps/s = $e"
  epochs[$m]="${EPOCHS:-${e%% *}}"
done

for m in $models; do
  echo "== step 2b: train $m for ${epochs[$m]} epochs ($(el))"
  t=$(date +%s)
  timeout "$(( budget + 60 ))" java moelab.cli.Main train --config "$m" "${common[@]}" \
    --epochs "${epochs[$m]}" --max-steps "$cap" --checkpoint-every 100000 --out "$R/fm-$m" \
    > "$R/fm-$m.log" 2>&1
  echo "exit $? after $(( $(date +%s) - t )) s"
  grep -v '^train \[' "$R/fm-$m.log" | grep -v '^\[main\] INFO' | tail -60
  cp "$R/fm-$m/metrics.csv" "$O/metrics-$m.csv"
  [ "$m" = sparse-mlp-tiny ] && cp "$R/fm-$m/routing.csv" "$O/routing-$m.csv" && cp "$R/fm-$m/curves.png" "$O/curves-$m.png"
done

echo "== step 2c: evaluate on the test set ($(el))"
for m in $models; do
  echo "-- $m" >> "$O/eval.txt"
  timeout 60 java moelab.cli.Main eval --checkpoint "$R/fm-$m" --data-dir "$D" 2>&1 \
    | grep -v '^\[main\] INFO' | grep -v '^eval \[' >> "$O/eval.txt"
done
cat "$O/eval.txt"
timeout 40 java moelab.cli.Main compare --out "$R/compare" "$R/fm-sparse-mlp-tiny" "$R/fm-mixer-tiny-eqflop" 2>&1 | tail -5
cp "$R/compare/summary.md" "$O/summary.md" && cat "$O/summary.md"
echo "== steps done ($(el))"
