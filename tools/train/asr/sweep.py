"""The compute/accuracy trade of a trained checkpoint on our held-out speakers (flite slt, espeak-ng
en-029; never in training): word error rate (greedy CTC, open vocabulary, no grammar) and the share
of (block, chunk) pairs run, with every block on and at each arbitrator threshold.

  /usr/bin/python3 tools/train/asr/sweep.py data/asr/work/amortize.pt data/asr/heldout > sweep.json
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from model import AmortizedTransformer  # noqa: E402
from train import evaluate, load_shards  # noqa: E402

THRESHOLDS = [0.3, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 0.9, 0.95, 0.98]


def main() -> None:
    torch.set_num_threads(int(os.environ.get('HEARTH_TRAIN_THREADS', '2')))
    m = AmortizedTransformer()
    m.load_state_dict(torch.load(sys.argv[1])['model'])
    items = load_shards(sys.argv[2])
    rows = [{'threshold': 0, **evaluate(m, items, 'all')}]
    for t in THRESHOLDS:
        rows.append({'threshold': t, **evaluate(m, items, 'learned', t)})
    base = rows[0]['wer']
    for r in rows:
        r['relative_wer_increase'] = (r['wer'] - base) / base if base else 0.0
        r['skipped'] = 1 - r['blocks_run']
    print(json.dumps({'utterances': len(items), 'rows': rows}, indent=1))


if __name__ == '__main__':
    main()
