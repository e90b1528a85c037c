#!/usr/bin/env bash
# Fashion-MNIST: Sparse-MLP against the dense MLP-Mixer with the same FLOPs per image, same budget
# and seed. Each run uses one CPU thread so both can run side by side on a 2-core machine.
# Usage, from the repository root: bash results/fashion-mnist.sh [EPOCHS]
set -euo pipefail
cd "$(dirname "$0")/.."
epochs="${1:-8}"
mkdir -p runs
for config in sparse-mlp-tiny mixer-tiny-eqflop; do
  OMP_NUM_THREADS=1 MOELAB_PROGRESS=lines ./moelab train --config "$config" \
    --dataset fashion-mnist --epochs "$epochs" --batch-size 128 --lr 2e-3 --seed 42 \
    --checkpoint-every 200 --out "runs/fmnist-$config" > "runs/fmnist-$config.log" 2>&1 &
done
wait
./moelab compare --out results/fashion-mnist runs/fmnist-sparse-mlp-tiny runs/fmnist-mixer-tiny-eqflop
for config in sparse-mlp-tiny mixer-tiny-eqflop; do
  cp "runs/fmnist-$config/curves.png" "results/fashion-mnist/curves-$config.png"
  cp "runs/fmnist-$config/metrics.csv" "results/fashion-mnist/metrics-$config.csv"
done
cp runs/fmnist-sparse-mlp-tiny/routing.png results/fashion-mnist/routing-sparse-mlp-tiny.png
cp runs/fmnist-sparse-mlp-tiny/routing.csv results/fashion-mnist/routing-sparse-mlp-tiny.csv
