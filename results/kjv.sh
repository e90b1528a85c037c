#!/usr/bin/env bash
# Character-level language modelling on the King James Bible (byte vocabulary, context 64,
# batch 32): sMLP against gMLP, the dense Transformer and Transformer-MoE with Switch, GShard,
# BASE and HASH routing. Every "-lm-tiny" config has the same FLOPs per token (491.5 k; see
# `./moelab info --all`), so equal steps are equal FLOPs.
#
# Causal in training, every model: sMLP's tMoE and the BASE Transformer-MoE run with
# `--set moe.router=base-causal` (the balanced assignment solved online, position by position, so
# no token's expert depends on later tokens or other sequences); Switch, GShard and HASH decide
# each token alone (capacity factor 0: nothing dropped) and gMLP/Transformer are causal as named.
# `./moelab info --config NAME --set ...` prints "causal in training: yes" for each run below.
#
# Validation: the training loop has no early stopping and no best-checkpoint selection; it
# evaluates the validation split (207 k characters) at every epoch end (1 epoch = 1,818 steps of
# 32 x 64 characters over the 3.72 M training characters) and the summary keeps the last and the
# best. So each run has a fixed, generous budget of EPOCHS epochs with cosine decay, and the
# per-epoch validation curve (validation-*.csv) shows whether it had stopped improving.
# Regularisation: AdamW weight decay (WD, default 0.01); the models have no dropout.
#
# Parts (first argument, default all):
#   seeds  smlp, gmlp, transformer at SEEDS (default "1 2")                       6 runs
#   moe    switch, gshard, base, hash Transformer-MoE at the first seed           4 runs
#   data   smlp and gmlp on 1/4 and 1/2 of the training text, same steps as the
#          full-text runs of `seeds` (their validation and test text unchanged)    4 runs
#   router smlp with the Switch and the HASH router in its tMoE instead of causal BASE,
#          at the first seed, beside the Transformer-MoE of `moe`; sMLP with HASH,
#          the better of the two, and the Switch Transformer-MoE also at the
#          other seeds (results/ has seeds "1 2 3 4")            2 + 2 per seed runs
#   long   sMLP with HASH, gmlp and switch at the first seed with twice the epochs
#          (LONG), beside their runs at EPOCHS: does a longer budget change the
#          order of sMLP and its two rivals of the target? Then sMLP with causal
#          BASE and the transformer, the other models of the seeds part, and the
#          HASH Transformer-MoE, second of the moe part                           6 runs
#          (not part of all)
# Usage, from anywhere:   bash results/kjv.sh [seeds|moe|data|router|long|all] ["SEEDS"]
#   EPOCHS=N  epochs of the full text (default 6; the data part runs 4x / 2x as many epochs of
#             its shorter text, the same number of steps)
#   LONG=N    epochs of the long part (default 2 x EPOCHS)
#   SMOKE=1   5 steps a run into a temporary directory, to check the script (about 10 min here)
#
# Time measured on the quiet 2-core CPU, both threads (6 epochs = 10,908 steps a run; minutes of
# training, validation passes excluded, about 10 s each): smlp 9.8-10.7, gmlp 8.2-8.8,
# transformer 7.4-7.8, switch 11.4, gshard 11.8, base (causal) 9.8, hash 13.0. seeds took 53 min,
# moe 46 min, data 46 min, router 113 min with seeds "1 2 3 4" (smlp with switch 13.6, with hash
# 14.7-17.7, switch 11.1-12.2), long 149 min (12 epochs: smlp with hash 28.9, gmlp 19.2,
# switch 24.1, smlp 25.9, transformer 16.8, hash 29.3).
# Memory: a whole run, the validation pass over all 3,232 windows included, peaks at 0.56 GB
# resident (sMLP with causal BASE, one thread, measured with /usr/bin/time -v).
#
# If interrupted: run the same command again (finished runs are kept, an interrupted one resumes
# from its last checkpoint, written every 500 steps and at every epoch end).
#
# Output, in results/kjv/: seeds/, moe/, data/, router/ and long/, each with summary.csv and
# summary.md (one row per run, named FAMILY-sSEED, FAMILY-1ofN-sSEED, smlp-ROUTER-sSEED or
# FAMILY-eLONG-sSEED: steps, minutes, last and best validation bits per character, config, seed,
# cost), comparison.png (training and validation bits per character against steps and minutes)
# and validation.csv (validation bits per character at every epoch end of every run);
# seeds/by-model.{csv,md} and router/by-model.{csv,md} (mean, sd, min, max over seeds);
# seeds/routing-smlp-s1.* and router/routing-smlp-hash-s1.* (sMLP's expert load with causal BASE
# and with HASH); data/gap.{csv,md} (sMLP - gMLP per amount of training text); long/budget.{csv,md}
# (EPOCHS against LONG epochs per model).
source "$(dirname "$0")/lib.sh"
part="${1:-all}"
seeds="${2:-1 2}"
first=$(echo "$seeds" | awk '{ print $1 }')
epochs="${EPOCHS:-6}"
long="${LONG:-$(( 2 * epochs ))}"
common=(--batch-size 32 --lr 2e-3 --weight-decay "${WD:-0.01}" --checkpoint-every 500)
model() { # the options that pick a family's model, causal in training; smlp-ROUTER: sMLP
  # with ROUTER in its tMoE
  case "$1" in
    smlp|base) echo "--config $1-lm-tiny --set moe.router=base-causal" ;;
    smlp-*) echo "--config smlp-lm-tiny --set moe.router=${1#smlp-}" ;;
    *) echo "--config $1-lm-tiny" ;;
  esac
}

finish() { # DIR RUN...: the comparison of a part
  local dir="$1"; shift
  mkdir -p "$dir"
  ./moelab compare --out "$dir" "$@"
  validation_table "$dir/validation.csv" "$@"
  cat "$dir/summary.md"
}

# text_gap SUMMARY_CSV OUT_PREFIX TRAIN_CHARACTERS PIECES: from the data part's summary (runs
# FAMILY-1ofN-sSEED and the full-text FAMILY-sSEED), one row per amount of training text (1/N of
# each of PIECES pieces) with sMLP's and gMLP's last and best validation bits per character and
# the gap sMLP - gMLP (negative: sMLP ahead); OUT_PREFIX.csv and OUT_PREFIX.md.
text_gap() {
  awk -F, -v md="$2.md" -v chars="$3" -v pieces="$4" '
    NR > 1 { name = $1; sub(/-s[0-9]+$/, "", name); n = 1
      if (match(name, /-1of[0-9]+$/)) { n = substr(name, RSTART + 4) + 0; name = substr(name, 1, RSTART - 1) }
      last[name, n] = $5; best[name, n] = $6 }
    END {
      print "training_text,training_characters,smlp_eval_bpc,gmlp_eval_bpc,gap,smlp_best_eval_bpc,gmlp_best_eval_bpc,best_gap"
      printf "| training text | characters | sMLP | gMLP | gap | sMLP best | gMLP best | gap of the bests |\n|---|---:|---:|---:|---:|---:|---:|---:|\n" > md
      for (n = 4; n >= 1; n /= 2) {
        if (!(("smlp", n) in last) || !(("gmlp", n) in last)) continue
        text = n == 1 ? "all" : "1/" n; c = n == 1 ? chars : pieces * int(chars / pieces / n)
        s = last["smlp", n]; g = last["gmlp", n]; sb = best["smlp", n]; gb = best["gmlp", n]
        printf "%s,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f\n", text, c, s, g, s - g, sb, gb, sb - gb
        printf "| %s | %d | %.4f | %.4f | %+.4f | %.4f | %.4f | %+.4f |\n", text, c, s, g, s - g, sb, gb, sb - gb > md
      }
    }' "$1" > "$2.csv"
}

# budget_gain VALIDATION_CSV OUT_PREFIX LONG: from the long part's validation.csv (runs
# FAMILY-eLONG-sSEED and FAMILY-sSEED), one row per family with the last validation bits per
# character of the short and the long run, the gain of the long budget (negative: better) and
# the long run's gain in its last epoch; OUT_PREFIX.csv and OUT_PREFIX.md.
budget_gain() {
  awk -F, -v md="$2.md" -v long="$3" '
    NR > 1 { name = $1; sub(/-s[0-9]+$/, "", name); e = $2 + 0
      is_long = sub("-e" long "$", "", name)
      if (!(name in seen)) { seen[name] = 1; order[++k] = name }
      if (is_long) { bpc[name, e] = $4; if (e > last[name]) last[name] = e }
      else if (e >= short_epochs[name]) { short_epochs[name] = e; short[name] = $4 } }
    END {
      print "model,epochs,eval_bpc,long_epochs,long_eval_bpc,gain,long_last_epoch_gain"
      printf "| model | epochs | validation bpc | epochs | validation bpc | gain | gain in the last epoch |\n|---|---:|---:|---:|---:|---:|---:|\n" > md
      for (i = 1; i <= k; i++) { m = order[i]; e = last[m]
        if (!(m in short) || e < 2) continue
        l = bpc[m, e]; g = l - short[m]; g1 = l - bpc[m, e - 1]
        printf "%s,%d,%.4f,%d,%.4f,%.4f,%.4f\n", m, short_epochs[m], short[m], e, l, g, g1
        printf "| %s | %d | %.4f | %d | %.4f | %+.4f | %+.4f |\n", m, short_epochs[m], short[m], e, l, g, g1 > md }
    }' "$1" > "$2.csv"
}

# fit RUN FAMILY SEED EPOCHS [DATA OPTIONS...]: trains FAMILY's model (`model`) into
# $RUNS/kjv/RUN on DATA (default the KJV text) and appends the run to runs
fit() {
  local name="$1" family="$2" seed="$3" n="$4"; shift 4
  if [ $# = 0 ]; then set -- --dataset kjv; fi
  # shellcheck disable=SC2046
  train "kjv/$name" $(model "$family") "$@" --epochs "$n" --seed "$seed" "${common[@]}"
  runs+=("$RUNS/kjv/$name")
}

# keep_routing RUN OUT_PREFIX: the run's expert-load chart and its data (to redraw it)
keep_routing() {
  cp "$RUNS/kjv/$1/routing.png" "$2.png"
  cp "$RUNS/kjv/$1/routing.csv" "$2.csv"
}

# add_if_made FAMILY...: appends to runs the finished run FAMILY-sFIRST of each family, if made
add_if_made() {
  local f
  for f in "$@"; do
    if [ -f "$RUNS/kjv/$f-s$first/done.txt" ]; then runs+=("$RUNS/kjv/$f-s$first"); fi
  done
}

if [ "$part" = seeds ] || [ "$part" = all ]; then
  runs=()
  for seed in $seeds; do
    for f in smlp gmlp transformer; do fit "$f-s$seed" "$f" "$seed" "$epochs"; done
  done
  finish "$RESULTS/kjv/seeds" "${runs[@]}"
  seed_spread "$RESULTS/kjv/seeds/summary.csv" "$RESULTS/kjv/seeds/by-model"
  keep_routing "smlp-s$first" "$RESULTS/kjv/seeds/routing-smlp-s$first"
  cat "$RESULTS/kjv/seeds/by-model.md"
fi

if [ "$part" = moe ] || [ "$part" = all ]; then
  runs=()
  for f in switch gshard base hash; do fit "$f-s$first" "$f" "$first" "$epochs"; done
  finish "$RESULTS/kjv/moe" "${runs[@]}"
fi

if [ "$part" = data ] || [ "$part" = all ]; then
  # A shorter training text with the same validation and test text: the KJV exactly as the
  # toolkit reads it (the `bible` command's verses, references stripped: 4,137,850 bytes), split
  # 90/5/5 as TextCorpus does, the training part cut into `pieces` equal pieces of which the
  # first 1/4 or 1/2 of each is kept (so the shorter text samples the whole training part, Genesis
  # to Acts, not only its first books), written as the three files of the wikitext103 loader,
  # which takes its splits as given (byte tokens, as kjv).
  kjv_text() {
    bible -f gen1:1-rev22:21 2>/dev/null < /dev/null \
      | sed -E 's/^[1-3]?[A-Za-z]+[0-9]+:[0-9]+ ?//' | grep -v '^[[:space:]]*$'
  }
  command -v bible > /dev/null || { echo "the data part needs the bible command: sudo apt-get install bible-kjv"; exit 1; }
  mkdir -p "$RUNS/kjv"; kjv_text > "$RUNS/kjv/kjv.txt"
  n=$(wc -c < "$RUNS/kjv/kjv.txt")
  [ "$n" = 4137850 ] || { echo "the KJV text has $n bytes, not the 4,137,850 the toolkit reads; the data part cannot cut the same splits"; exit 1; }
  train_end=$(awk -v n="$n" 'BEGIN { printf "%d", n * 0.9 + 0.5 }')
  valid_end=$(( train_end + (n - train_end) / 2 ))
  pieces=16
  runs=()
  for fraction in 4 2; do
    dir="$RUNS/kjv/text-1of$fraction"; mkdir -p "$dir"
    kept=$(( train_end / pieces / fraction ))   # bytes kept from the start of each piece
    for piece in $(seq 0 $(( pieces - 1 ))); do
      head -c $(( piece * train_end / pieces + kept )) "$RUNS/kjv/kjv.txt" | tail -c "$kept"
    done > "$dir/wiki.train.raw"
    head -c "$valid_end" "$RUNS/kjv/kjv.txt" | tail -c $(( valid_end - train_end )) > "$dir/wiki.valid.raw"
    tail -c +$(( valid_end + 1 )) "$RUNS/kjv/kjv.txt" > "$dir/wiki.test.raw"
    for f in smlp gmlp; do
      fit "$f-1of$fraction-s$first" "$f" "$first" $(( epochs * fraction )) \
        --dataset wikitext103 --data-dir "$dir"
    done
  done
  add_if_made smlp gmlp   # all of the text: the runs of the seeds part
  finish "$RESULTS/kjv/data" "${runs[@]}"
  text_gap "$RESULTS/kjv/data/summary.csv" "$RESULTS/kjv/data/gap" "$train_end" "$pieces"
  cat "$RESULTS/kjv/data/gap.md"
fi

if [ "$part" = router ] || [ "$part" = all ]; then
  # Is causal BASE what holds sMLP back? The same sMLP with the routers of the Transformer-MoE
  # that beat it (each decides a token alone: causal, nothing dropped at capacity factor 0).
  runs=()
  for f in smlp-switch smlp-hash; do fit "$f-s$first" "$f" "$first" "$epochs"; done
  # HASH, ahead of Switch in sMLP at the first seed, and the Switch Transformer-MoE, the closest
  # rival of sMLP with HASH: their spread over seeds
  for seed in $seeds; do
    [ "$seed" = "$first" ] && continue
    for f in smlp-hash switch; do fit "$f-s$seed" "$f" "$seed" "$epochs"; done
  done
  add_if_made smlp base switch hash   # the runs of seeds and moe with the same seed
  finish "$RESULTS/kjv/router" "${runs[@]}"
  seed_spread "$RESULTS/kjv/router/summary.csv" "$RESULTS/kjv/router/by-model"
  keep_routing "smlp-hash-s$first" "$RESULTS/kjv/router/routing-smlp-hash-s$first"
  cat "$RESULTS/kjv/router/by-model.md"
fi

if [ "$part" = long ]; then
  # The budget: validation was still falling 0.005-0.010 bpc an epoch at the end of 6 epochs.
  runs=()
  families=(smlp-hash gmlp switch smlp transformer hash)
  for f in "${families[@]}"; do fit "$f-e$long-s$first" "$f" "$first" "$long"; done
  add_if_made "${families[@]}"   # the same models with EPOCHS epochs
  finish "$RESULTS/kjv/long" "${runs[@]}"
  budget_gain "$RESULTS/kjv/long/validation.csv" "$RESULTS/kjv/long/budget" "$long"
  cat "$RESULTS/kjv/long/budget.md"
fi
