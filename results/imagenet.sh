#!/usr/bin/env bash
# ImageNet-1k or its 10-class subset Imagenette: Sparse-MLP B/16 (sparse-mlp-b16: 12 blocks of
# width 768 on 16x16 patches of 224x224 images, the last 4 sparse; 27.3 GFLOPs per image) against
# the dense Mixer-B/16 with the same FLOPs (mixer-b16-eqflop), one run each, one after another.
# Imagenette uses the same configs with a 10-class head (--set image.num-classes=10).
#
# Usage, from anywhere:   bash results/imagenet.sh [imagenette|imagenet] ["SEEDS"]
#                         (default imagenette "1")
#   EPOCHS=N     epochs per run (default 300 for imagenet, as the Sparse-MLP paper; 100 for
#                imagenette)
#   BATCH=B      images per step (default 256 for imagenet, 64 for imagenette)
#   DATA_DIR=D   the ImageFolder root (train/<class>/, val/<class>/); default
#                ~/.moelab/datasets/imagenet or ~/.moelab/datasets/imagenette (or under
#                $MOELAB_DATASETS). Fetch Imagenette with `datasets/fetch imagenette` (94 MB);
#                `datasets/fetch imagenet` prints the manual steps (login at image-net.org,
#                144 GB). The build machine of this repository cannot download them, so these
#                runs have not been made here.
#   SMOKE=1      5 steps a run on the 2-class sample folder in datasets/samples, batch 2, into
#                a temporary directory, to check the script (about 6 min here)
#
# Expected time. These are GPU runs; a CPU cannot do them:
#   quiet 2-core CPU: not feasible. By FLOPs from the measured CIFAR configs (164.8 MFLOPs an
#   image, 1.10 s per step of 128 on one thread: ~57 GFLOP/s of training), one B/16 training
#   image takes at least ~1.4 s on one thread: >= 3.7 h an Imagenette epoch, ~3 weeks an ImageNet
#   epoch. The smoke run's second step (2 images, load average ~6) took 14 s for the Mixer and
#   33 s for Sparse-MLP, so the real figure is likely worse.
#   one H100/H200 (estimate: 3 x 27.3 GFLOPs per training image at ~15-20 TFLOP/s sustained fp32,
#   a third to a half of the 46.5 TFLOP/s matmul peak results/gpu/first-call measured on an H200):
#   ~200-250 images/s, so Imagenette (9,469 training images) ~45 s an epoch, 100 epochs ~1.3 h
#   per model; ImageNet-1k ~1.5 h an epoch, 300 epochs ~19 days per model on one GPU
#   (the paper used many TPU cores). Not measured: no GPU run of these configs exists yet.
#
# If interrupted: run the same command again (finished runs are kept, an interrupted one resumes
# from its last checkpoint).
#
# Output, in results/imagenette/ or results/imagenet/: summary.csv and summary.md (one row per
# run), by-model.csv and by-model.md (mean and spread over seeds), comparison.png (validation
# accuracy against epochs and against training minutes).
source "$(dirname "$0")/lib.sh"
dataset="${1:-imagenette}"
seeds="${2:-1}"
base="${MOELAB_DATASETS:-$HOME/.moelab/datasets}"
case "$dataset" in
  imagenette) data="${DATA_DIR:-$base/imagenette}"; classes=(--set image.num-classes=10)
              epochs="${EPOCHS:-100}"; batch="${BATCH:-64}" ;;
  imagenet) data="${DATA_DIR:-$base/imagenet}"; classes=()
            epochs="${EPOCHS:-300}"; batch="${BATCH:-256}" ;;
  *) echo "unknown dataset '$dataset': imagenette or imagenet"; exit 2 ;;
esac
if [ "$SMOKE" = 1 ]; then
  data=datasets/samples/imagefolder; classes=(--set image.num-classes=2); batch=2
fi
if [ ! -d "$data/train" ] || [ ! -d "$data/val" ]; then
  echo "$dataset is not in $data (train/ and val/ class folders): fetch it with datasets/fetch $dataset (or pass DATA_DIR=DIR)"
  exit 1
fi
out="$RESULTS/$dataset"
mkdir -p "$out"

runs=()
for seed in $seeds; do
  for config in sparse-mlp-b16 mixer-b16-eqflop; do
    train "$dataset/$config-s$seed" --config "$config" "${classes[@]}" --dataset "$dataset" \
      --data-dir "$data" --epochs "$epochs" --batch-size "$batch" --lr 1e-3 --seed "$seed" \
      --weight-decay 0.1 --checkpoint-every 500
    runs+=("$RUNS/$dataset/$config-s$seed")
  done
done
compare_seeds "$out" "${runs[@]}"
