#!/usr/bin/env bash
# results/gpu: the runs of one call on the accelerator machine, all at once (one JVM each, the
# GPU shared), run by run-on-device.sh under the kit's on-device.sh (java on PATH, CLASSPATH set).
#   Fashion-MNIST  sparse-mlp-cifar and its equal-FLOP Mixer at 28 x 28 x 1, seeds 1 and 2
#   KJV            sMLP, gMLP, Transformer (seeds 1, 2) and Switch, GShard, BASE, HASH
#                  Transformer-MoE (seed 1) at d = 256, 6 blocks (the -lm-small configs with
#                  lm.blocks=6 and, for the sparse ones, moe.blocks=3), every one causal in training
# 1. probe: every run for PROBE_STEPS steps, all together, to measure seconds a step while the
#    GPU is shared as it will be; 2. size: the epochs of each group (same for every run of a
#    group: equal steps are equal FLOPs) so that its slowest run's steps fit 90 % of the time left
#    before LIMIT_S (the rest: evaluations, checkpoints, start-up); 3. train all together, each
#    run stopped at LIMIT_S - 30 s at the latest; 4. pack metrics.csv, run.json, routing.csv and
#    the logs into $OUT/runs.tar.xz.
# Local dry run (CPU): DATA=/usr/share/datasets/fashion-mnist OUT=/tmp/o PROBE_STEPS=3 \
#   MAX_STEPS=4 MOELAB_SMOKE=1 EXTRA_LM='--set lm.context-length=16' bash results/gpu/steps.sh
#   (with java on PATH and CLASSPATH set)
set -u
O="${OUT:?}"; D="${DATA:-/tmp/fmnist}"; R="${RUNS_DIR:-/tmp/runs}"; mkdir -p "$R"
export MOELAB_PROGRESS=lines OMP_NUM_THREADS=1
limit="${LIMIT_S:-470}"; probe="${PROBE_STEPS:-30}"; cap="${MAX_STEPS:-0}"
s=$(date +%s); el() { echo "$(( $(date +%s) - s )) s"; }

img=(--set image.image-size=28 --set image.image-channels=1)
fm=(--dataset fashion-mnist --data-dir "$D" --batch-size 512 --lr 2e-3)
lm=(--dataset kjv --batch-size 32 --lr 1e-3 --weight-decay 0.1 --set lm.blocks=6 ${EXTRA_LM:-})
moe=(--set moe.blocks=3)
causal=(--set moe.router=base-causal)
declare -A args group
add() { local name="$1" g="$2"; shift 2; [[ "$name" =~ ${ONLY:-.} ]] || return 0; args[$name]="$*"; group[$name]="$g"; order+=("$name"); }
order=()
for seed in 1 2; do
  add "fm-sparse-mlp-s$seed" fm --config sparse-mlp-cifar "${img[*]}" "${fm[*]}" --seed "$seed"
  add "fm-mixer-eqflop-s$seed" fm --config mixer-cifar-eqflop "${img[*]}" "${fm[*]}" --seed "$seed"
  add "lm-smlp-s$seed" lm --config smlp-lm-small "${lm[*]}" "${moe[*]}" "${causal[*]}" --seed "$seed"
  add "lm-gmlp-s$seed" lm --config gmlp-lm-small "${lm[*]}" --seed "$seed"
  add "lm-transformer-s$seed" lm --config transformer-lm-small "${lm[*]}" --seed "$seed"
done
for f in switch gshard hash; do add "lm-$f-s1" lm --config "$f-lm-small" "${lm[*]}" "${moe[*]}" --seed 1; done
add "lm-base-s1" lm --config base-lm-small "${lm[*]}" "${moe[*]}" "${causal[*]}" --seed 1
# optimiser steps in one epoch: 60,000 images / 512; 3,724,065 training characters / (32 x 256)
declare -A steps_per_epoch=([fm]=118 [lm]=455) max_epochs=([fm]=60 [lm]=40)

# launch NAME DIR SECONDS EXTRA...: one training in the background, its log beside DIR
launch() {
  local name="$1" dir="$2" t="$3"; shift 3
  # shellcheck disable=SC2086
  timeout "$t" java -Xmx12g moelab.cli.Main train ${args[$name]} --checkpoint-every 100000 \
    --out "$dir" "$@" > "$dir.log" 2>&1 &
}

echo "== 1. probe: ${#order[@]} runs, $probe steps each, together ($(el))"
for n in "${order[@]}"; do launch "$n" "$R/probe-$n" 150 --epochs 1 --max-steps "$probe"; done
wait
declare -A worst=([fm]=0 [lm]=0)
for n in "${order[@]}"; do
  # seconds a step between step probe/3 and the last (leaves out start-up and the first steps)
  sps=$(awk -F, -v from="$((probe / 3))" '$1 == "step" { if ($3 == from) t0 = $15; last = $3; t = $15 }
        END { if (t0 == "" || t <= t0) print "nan"; else printf "%.4f\n", (t - t0) / (last - from) }' \
        "$R/probe-$n/metrics.csv" 2>/dev/null)
  echo "probe $n: ${sps:-failed} s/step   $(grep -v 'charts skipped' "$R/probe-$n.log" | grep -m1 -i 'error\|exception')"
  g="${group[$n]}"
  if [ -n "$sps" ] && [ "$sps" != nan ]; then
    worst[$g]=$(awk -v a="${worst[$g]}" -v b="$sps" 'BEGIN { print (b > a ? b : a) }')
  fi
done
left=$(( limit - 30 - ($(date +%s) - s) )); budget=$(( left * 9 / 10 ))
echo "$left s left for training, $budget s of it for steps"
declare -A epochs
for g in fm lm; do
  epochs[$g]=$(awk -v b="$budget" -v w="${worst[$g]}" -v spe="${steps_per_epoch[$g]}" -v mx="${max_epochs[$g]}" \
    'BEGIN { n = (w > 0) ? int(b / (w * spe)) : 2; if (n < 1) n = 1; if (n > mx) n = mx; print n }')
  echo "group $g: slowest ${worst[$g]} s/step -> ${epochs[$g]} epochs"
done

echo "== 2. train, all together ($(el))"
for n in "${order[@]}"; do
  launch "$n" "$R/$n" "$left" --epochs "${epochs[${group[$n]}]}" --max-steps "$cap"
done
wait
echo "== 3. results ($(el))"
mkdir -p "$R/pack"
for n in "${order[@]}"; do
  echo "$n: $(grep -a -v '^train \[' "$R/$n.log" | grep -a -v '^\[main\] INFO' | tail -1)"
  mkdir -p "$R/pack/$n"
  cp "$R/$n"/{metrics.csv,run.json,routing.csv} "$R/pack/$n/" 2>/dev/null
  grep -a -v '^train \[' "$R/$n.log" | grep -a -v '^\[main\] INFO' > "$R/pack/$n.log"
  grep -a -v '^train \[' "$R/probe-$n.log" | tail -3 > "$R/pack/probe-$n.log"
done
tar -C "$R/pack" -cJf "$O/runs.tar.xz" . && ls -la "$O"
echo "== steps done ($(el))"
