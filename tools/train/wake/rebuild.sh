#!/usr/bin/env bash
# Makes again, in one go, every folder the shipped wake-word models were trained and validated on (data.py's
# docstring lists the same commands one by one), with the features train.py and verifier.py read:
#   data/wake/train                the seventh run's 172 shards (shard, near, speech, varied, edits, gnuspeech, gnunear, phonetic)
#   data/wake/{prefixes,slow,shifted}   the eighth run's new kinds
#   data/wake/train-all            links: train/ plus the new kinds' shards but those with index % 8 == 7, so that
#                                  validation stays the seventh run's (train.py holds out train/'s own % 8 == 7 shards)
#   data/wake/validation, data/wake/phonemes-validation   validation only (data.py --first: seeds of their own)
# Features: int8 embeddings (.emb8, embed.js --embedding int8) for train.py, full-band mel rows (.wmel, mel.js --wide)
# for verifier.py --features mel40-8k. Why a script: the folders are not committed (tens of GB) and a new machine
# starts without them; every step keeps what exists, so a stopped run resumes where it was.
#
#   bash tools/train/wake/rebuild.sh [data/wake]     (after npm run build; needs espeak-ng, flite, sox, wamerican, python3-numpy)
# Then, for example, a word's classifier and verifier:
#   /usr/bin/python3 tools/train/wake/train.py data/wake/train-all <models> --words hey_rhasspy --embeddings int8 \
#       --validation data/wake/validation --checkpoints data/wake/ck-all
#   /usr/bin/python3 tools/train/wake/verifier.py data/wake/train-all <models> --words hey_rhasspy --mine --features mel40-8k \
#       --validation data/wake/validation --validation data/wake/phonemes-validation --checkpoints data/wake/ck-all
set -euo pipefail
root=${1:-data/wake}
here=$(cd "$(dirname "$0")" && pwd)
dist=$(cd "$here/../../.." && pwd)/dist/tools/train/wake
py=/usr/bin/python3
[ -f "$dist/embed.js" ] || { echo "rebuild.sh: $dist/embed.js is missing: run npm run build first" >&2; exit 2; }
step() { echo "$(date -u +%H:%M:%S) $*"; }
data() { step "data.py $*"; "$py" "$here/data.py" "$@"; }

# Training audio (seventh run), then the eighth run's kinds.
data "$root/train" --shards 40
for k in near edits gnunear phonetic; do data "$root/train" --shards 16 --kind $k; done
data "$root/train" --shards 24 --kind speech
data "$root/train" --shards 20 --kind varied
data "$root/train" --shards 24 --kind gnuspeech
data "$root/prefixes" --shards 16 --kind prefixes
data "$root/slow" --shards 24 --kind slow
data "$root/shifted" --shards 32 --kind shifted
# Validation only.
data "$root/validation" --first 24 --shards 12 --kind speech
data "$root/validation" --first 40 --shards 16
data "$root/validation" --first 20 --shards 16 --kind varied
for k in near edits phonetic; do data "$root/validation" --first 16 --shards 16 --kind $k; done
data "$root/validation" --first 24 --shards 8 --kind gnuspeech
data "$root/validation" --first 16 --shards 8 --kind gnunear
data "$root/phonemes-validation" --first 16 --shards 16 --kind phonemes

# Features, two processes a folder (the machines here have two cores).
for f in train prefixes slow shifted validation phonemes-validation; do
  step "embeddings and wide mel rows: $root/$f"
  node "$dist/embed.js" "$root/$f" --embedding int8 --part 0/2 & a=$!
  node "$dist/embed.js" "$root/$f" --embedding int8 --part 1/2 & b=$!
  wait $a; wait $b
  node "$dist/mel.js" "$root/$f" --wide --part 0/2 & a=$!
  node "$dist/mel.js" "$root/$f" --wide --part 1/2 & b=$!
  wait $a; wait $b
done

# train-all: links, so nothing is stored twice.
step "links in $root/train-all"
mkdir -p "$root/train-all"
for f in train prefixes slow shifted; do
  for json in "$root/$f"/*-[0-9][0-9][0-9][0-9].json; do
    shard=$(basename "$json" .json)
    index=$((10#${shard##*-}))
    if [ "$f" != train ] && [ $((index % 8)) -eq 7 ]; then continue; fi
    for file in "$root/$f/$shard".*; do ln -sf "$(cd "$(dirname "$file")" && pwd)/$(basename "$file")" "$root/train-all/"; done
  done
done
step "done: $(ls "$root/train-all"/*.json | wc -l) shards in $root/train-all"
