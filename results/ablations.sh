#!/usr/bin/env bash
# Sparse-MLP ablations on Fashion-MNIST, the ones the Sparse-MLP paper (arXiv 2109.02008) reports,
# as shorter runs at one seed. Every run is sparse-mlp-tiny (4 blocks, last 2 sparse, width 64,
# MoE_s 4 experts, MoE_c 4 experts, top-1, capacity factor 1.25, re-representation on) with one
# field changed through `moelab train --set`:
#   base            the config as named
#   moe-s-8         8 MoE_s (token-mixing) experts     token-experts=8
#   moe-c-8         8 MoE_c (channel-mixing) experts   moe.experts=8
#                   (the paper: more MoE_s experts help, more MoE_c experts do not)
#   top-2           K = 2                              moe.top-k=2 (twice the expert FLOPs)
#   capacity-1.0 / capacity-2.0                        moe.capacity-factor=1.0 / 2.0
#   no-rerep        re-representation off              re-representation=false
# (each run is named VARIANT-sSEED)
# (`./moelab info --config sparse-mlp-tiny --set KEY=VALUE` prints each variant's cost.)
#
# Usage, from anywhere:   bash results/ablations.sh [SEED]      (default 1)
#   EPOCHS=N    epochs per run (default 5)
#   SMOKE=1     5 steps a run into a temporary directory, to check the script (about 7 min here)
#
# Expected time on a quiet 2-core CPU, both threads: 5 epochs = 2,345 steps, 7-8 min a run at
# the 5-6 steps/s sparse-mlp-tiny measured in results/fashion-mnist (the top-2 and 8-expert runs
# are slower), about 1 h for the seven.
#
# If interrupted: run the same command again (finished runs are kept, an interrupted one resumes
# from its last checkpoint).
#
# Output, in results/ablations/: summary.csv and summary.md (one row per run: steps, minutes,
# last and best test accuracy), comparison.png (test accuracy against epochs and against
# training minutes), variants.md (what each run changed, its parameters and FLOPs per image).
source "$(dirname "$0")/lib.sh"
seed="${1:-1}"
epochs="${EPOCHS:-5}"
out="$RESULTS/ablations"
mkdir -p "$out"

variants=(
  "base|"
  "moe-s-8|token-experts=8"
  "moe-c-8|moe.experts=8"
  "top-2|moe.top-k=2"
  "capacity-1.0|moe.capacity-factor=1.0"
  "capacity-2.0|moe.capacity-factor=2.0"
  "no-rerep|re-representation=false"
)
runs=()
cost() { # the variant's parameters, active parameters and FLOPs per image, from moelab info
  ./moelab info --config sparse-mlp-tiny "$@" | awk '/^parameters:/ { p = $2 }
    /^active parameters:/ { a = $3 } /^flops per image:/ { f = $4 }
    END { printf "%d | %d | %.2f M", p, a, f / 1e6 }'
}
printf '| run | --set | parameters | active parameters | FLOPs per image |\n|---|---|---:|---:|---:|\n' > "$out/variants.md"
for v in "${variants[@]}"; do
  name="${v%%|*}-s$seed"; setting="${v#*|}"
  set_args=(); [ -n "$setting" ] && set_args=(--set "$setting")
  train "ablations/$name" --config sparse-mlp-tiny "${set_args[@]}" --dataset fashion-mnist \
    --epochs "$epochs" --batch-size 128 --lr 2e-3 --seed "$seed" --checkpoint-every 200
  runs+=("$RUNS/ablations/$name")
  printf '| %s | %s | %s |\n' "$name" "${setting:-(none)}" "$(cost "${set_args[@]}")" >> "$out/variants.md"
done

./moelab compare --out "$out" "${runs[@]}"
cat "$out/variants.md" "$out/summary.md"
