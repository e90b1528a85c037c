#!/usr/bin/env bash
# CIFAR-10 or CIFAR-100: Sparse-MLP (sparse-mlp-cifar: 8 blocks of width 128 on 4x4 patches, last
# 2 sparse, MoE_s 8 experts, MoE_c 4 experts, top-1) against the dense Mixer with the same FLOPs
# per image (mixer-cifar-eqflop), one run each per seed, one after another, all CPU threads or
# the GPU DJL finds. CIFAR-100 uses the same configs with a 100-class head (--set
# image.num-classes=100). Training images are randomly cropped (2 px) and flipped.
#
# Usage, from anywhere:   bash results/cifar.sh [cifar10|cifar100] ["SEEDS"]   (default cifar10 "1")
#   EPOCHS=N     epochs per run (default 50)
#   DATA_DIR=D   where the dataset lives (default ~/.moelab/datasets/cifar10 or cifar100, or
#                $MOELAB_DATASETS/...); fetch it with `datasets/fetch cifar10` (163 MB) or
#                `datasets/fetch cifar100` (161 MB). The build machine of this repository cannot
#                download them, so these runs have not been made here.
#   SMOKE=1      5 steps a run on the 10-image samples in datasets/samples, into a temporary
#                directory, to check the script (about 2 min here)
#
# Expected time, batch 128 (391 steps an epoch), 50 epochs = 19,550 steps a run:
#   quiet 2-core CPU: about 6 h per Sparse-MLP run and 5.3 h per Mixer run at the one-thread
#   upper bound (measured: 1.097 and 0.982 CPU s/step, one thread, batch 128, steps 10-25), a
#   little less on two threads; 2 runs (one seed) about 10-11 h.
#   one GPU (estimate from results/gpu/first-call, an H200 running the tiny configs: ~16 steps/s for
#   Sparse-MLP at batch 128, bound by per-step host work, not FLOPs; the CIFAR configs have the
#   same number of MoE layers and 8.5x the FLOPs, which an H200 absorbs): about 20-30 min for
#   Sparse-MLP and 5-10 min for the Mixer per run.
# Timing method: results/measure.sh on random CIFAR binaries in the real format
# (`python3 results/fake-cifar.py /tmp/fake` then --data-dir /tmp/fake/cifar10).
#
# If interrupted: run the same command again (finished runs are kept, an interrupted one resumes
# from its last checkpoint).
#
# Output, in results/cifar10/ or results/cifar100/: summary.csv and summary.md (one row per run,
# named CONFIG-sSEED), by-model.csv and by-model.md (mean and spread over seeds),
# comparison.png (test accuracy against epochs and against training minutes).
source "$(dirname "$0")/lib.sh"
dataset="${1:-cifar10}"
seeds="${2:-1}"
epochs="${EPOCHS:-50}"
batch=128
case "$dataset" in
  cifar10) marker=test_batch.bin; sub=cifar-10-batches-bin; classes=() ;;
  cifar100) marker=test.bin; sub=cifar-100-binary; classes=(--set image.num-classes=100) ;;
  *) echo "unknown dataset '$dataset': cifar10 or cifar100"; exit 2 ;;
esac
data="${DATA_DIR:-${MOELAB_DATASETS:-$HOME/.moelab/datasets}/$dataset}"
if [ "$SMOKE" = 1 ]; then
  data="datasets/samples/$dataset"; batch=4
fi
if [ ! -f "$data/$marker" ] && [ ! -f "$data/$sub/$marker" ]; then
  echo "$dataset is not in $data: fetch it with datasets/fetch $dataset (or pass DATA_DIR=DIR)"
  exit 1
fi
out="$RESULTS/$dataset"
mkdir -p "$out"

runs=()
for seed in $seeds; do
  for config in sparse-mlp-cifar mixer-cifar-eqflop; do
    train "$dataset/$config-s$seed" --config "$config" "${classes[@]}" --dataset "$dataset" \
      --data-dir "$data" --epochs "$epochs" --batch-size "$batch" --lr 2e-3 --seed "$seed" \
      --checkpoint-every 200
    runs+=("$RUNS/$dataset/$config-s$seed")
  done
done
compare_seeds "$out" "${runs[@]}"
