"""Trains the compute-amortized Transformer on the shards from data.py, resumable.

Two stages, one work folder:
  base      every block on, with random block skipping per chunk (drop rate 0.1) so the blocks learn
            to live without each other;
  amortize  from the base weights, arbitrators on, loss = CTC + penalty * (share of blocks run).
A checkpoint (model, optimiser, stage, epoch, batch) is written every few minutes and at each epoch's
end; run the same command again and it goes on from there. `--slim` writes the weights and progress
alone to tools/train/asr/checkpoints/<stage>.pt (committed), which a fresh machine resumes from. Shards that appear while it trains are
taken at the next epoch.

  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/train/asr/train.py --data data/asr --work data/asr/work \
      --stage base --epochs 12
  ... --stage amortize --penalty 0.3 --epochs 4
"""
import argparse
import glob
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from model import CHUNK, STACK, AmortizedTransformer, encode_text  # noqa: E402
from decode import greedy, wer  # noqa: E402

UNIT = STACK * CHUNK  # feature frames per chunk


def load_shards(folder: str) -> list[tuple[np.ndarray, str]]:
    out = []
    for path in sorted(glob.glob(os.path.join(folder, 'shard-*.npz'))):
        d = np.load(path)
        feats, lengths = d['feats'], d['lengths']  # each access to an npz member reads it again: once
        ends = np.cumsum(lengths)
        for end, length, text in zip(ends, lengths, d['texts']):
            out.append((feats[end - length:end], str(text)))
    return out


def batches(items: list, max_frames: int, seed: int) -> list[list[int]]:
    order = sorted(range(len(items)), key=lambda i: len(items[i][0]))
    out, cur, longest = [], [], 0
    for i in order:
        longest = max(longest, len(items[i][0]))
        if cur and longest * (len(cur) + 1) > max_frames:
            out.append(cur)
            cur, longest = [], len(items[i][0])
        cur.append(i)
    if cur:
        out.append(cur)
    random.Random(seed).shuffle(out)
    return out


def collate(items: list, idx: list[int], augment: bool, r: random.Random):
    longest = max(len(items[i][0]) for i in idx)
    t = math.ceil(longest / UNIT) * UNIT
    feats = torch.zeros(len(idx), t, items[idx[0]][0].shape[1])
    frames, targets, target_lengths = [], [], []
    for row, i in enumerate(idx):
        f = torch.from_numpy(items[i][0].astype(np.float32))
        if augment:  # SpecAugment: two frequency and two time masks
            f = f.clone()
            for _ in range(2):
                w = r.randint(0, 6); s = r.randint(0, f.shape[1] - w); f[:, s:s + w] = f.mean()
                w = r.randint(0, min(20, len(f) // 5)); s = r.randint(0, max(0, len(f) - w)); f[s:s + w] = f.mean()
        feats[row, :len(f)] = f
        frames.append(len(f) // STACK)
        ids = encode_text(items[i][1])
        targets.extend(ids)
        target_lengths.append(len(ids))
    return feats, torch.tensor(frames), torch.tensor(targets), torch.tensor(target_lengths)


def evaluate(model: AmortizedTransformer, items: list, gates: str, threshold: float = 0.5) -> dict:
    model.eval()
    errors = words = sentences_wrong = 0
    run = n = 0.0
    with torch.no_grad():
        for idx in batches(items, 20000, 0):
            feats, frames, _, _ = collate(items, idx, False, random.Random(0))
            logp, share, _ = model(feats, frames, gates=gates, threshold=threshold)
            chunks = float(sum(math.ceil(int(f) / CHUNK) for f in frames))
            run += float(share) * chunks; n += chunks
            for row, i in enumerate(idx):
                hyp = greedy(logp[row, :frames[row]])
                e, w = wer(items[i][1], hyp)
                errors += e; words += w; sentences_wrong += e > 0
    model.train()
    return {'wer': errors / max(1, words), 'ser': sentences_wrong / len(items), 'blocks_run': run / max(1, n)}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument('--data', default='data/asr')
    p.add_argument('--work', default='data/asr/work')
    p.add_argument('--stage', choices=['base', 'amortize'], required=True)
    p.add_argument('--epochs', type=int, default=12)
    p.add_argument('--penalty', type=float, default=0.3)
    p.add_argument('--lr', type=float, default=1.5e-3)
    p.add_argument('--max-frames', type=int, default=24000)
    p.add_argument('--threads', type=int, default=int(os.environ.get('HEARTH_TRAIN_THREADS', '2')))
    p.add_argument('--eval-items', type=int, default=400)
    p.add_argument('--slim', action='store_true', help='write the committed checkpoint from the work one and stop')
    a = p.parse_args()
    if a.slim:
        ck = torch.load(os.path.join(a.work, f'{a.stage}.pt'))
        os.makedirs(os.path.join(os.path.dirname(__file__), 'checkpoints'), exist_ok=True)
        torch.save({'model': ck['model'], 'state': ck['state'], 'args': ck.get('args')}, os.path.join(os.path.dirname(__file__), 'checkpoints', f'{a.stage}.pt'))
        return
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    os.makedirs(a.work, exist_ok=True)
    ckpt_path = os.path.join(a.work, f'{a.stage}.pt')
    log = open(os.path.join(a.work, 'train.log'), 'a')

    def say(**kw) -> None:
        kw['time'] = time.strftime('%Y-%m-%dT%H:%M:%S')
        line = json.dumps(kw)
        print(line, flush=True)
        log.write(line + '\n'); log.flush()

    model = AmortizedTransformer()
    heldout = load_shards(os.path.join(a.data, 'heldout'))[: a.eval_items]
    state = {'epoch': 0, 'batch': 0, 'step': 0, 'seconds': 0.0}
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.01)
    committed = os.path.join(os.path.dirname(__file__), 'checkpoints', f'{a.stage}.pt')
    if os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path)
        model.load_state_dict(ck['model']); opt.load_state_dict(ck['opt']); state = ck['state']
        say(event='resume', stage=a.stage, **state)
    elif os.path.exists(committed):
        # A fresh machine: the weights and progress committed with the repository (no optimiser state: Adam re-warms).
        ck = torch.load(committed)
        model.load_state_dict(ck['model']); state = ck['state']
        say(event='resume from the committed checkpoint', stage=a.stage, **state)
    elif a.stage == 'amortize':
        ck = torch.load(os.path.join(a.work, 'base.pt'))
        model.load_state_dict(ck['model'])
        say(event='start from base', base_state=ck['state'])
    else:
        first = load_shards(os.path.join(a.data, 'train'))[:2000]
        allf = np.concatenate([f for f, _ in first]).astype(np.float64)
        model.feat_mean.copy_(torch.from_numpy(allf.mean(0)).float())
        model.feat_std.copy_(torch.from_numpy(allf.std(0) + 1e-3).float())
    print(f'parameters: {sum(p.numel() for p in model.parameters()):,}', flush=True)

    def save() -> None:
        tmp = ckpt_path + '.tmp'
        torch.save({'model': model.state_dict(), 'opt': opt.state_dict(), 'state': state, 'args': vars(a)}, tmp)
        os.replace(tmp, ckpt_path)

    gates = 'all' if a.stage == 'base' else 'learned'
    warmup = 300 if a.stage == 'base' else 50
    last_save = time.time()
    while state['epoch'] < a.epochs:
        items = load_shards(os.path.join(a.data, 'train'))
        plan = batches(items, a.max_frames, state['epoch'])
        r = random.Random(state['epoch'] * 7919 + state['batch'])
        started = time.time()
        losses = []
        while state['batch'] < len(plan):
            idx = plan[state['batch']]
            progress = (state['epoch'] + state['batch'] / len(plan)) / a.epochs
            lr = a.lr * min(1.0, (state['step'] + 1) / warmup) * (0.5 + 0.5 * math.cos(math.pi * progress)) + 1e-5
            for group in opt.param_groups:
                group['lr'] = lr
            feats, frames, targets, target_lengths = collate(items, idx, True, r)
            logp, share, p_mean = model(feats, frames, gates=gates, drop_rate=0.1 if gates == 'all' else 0.0)
            ctc = torch.nn.functional.ctc_loss(logp.transpose(0, 1), targets, frames, target_lengths, zero_infinity=True)
            loss = ctc + (a.penalty * p_mean if gates == 'learned' else 0.0)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            losses.append(float(ctc))
            state['batch'] += 1; state['step'] += 1
            if state['step'] % 50 == 0:
                say(stage=a.stage, epoch=state['epoch'], batch=state['batch'], of=len(plan), ctc=round(float(np.mean(losses[-50:])), 3),
                    blocks_run=round(float(share), 3), lr=round(lr, 6))
            if time.time() - last_save > 300:
                state['seconds'] += time.time() - started; started = time.time()
                save(); last_save = time.time()
        state['seconds'] += time.time() - started
        state['epoch'] += 1; state['batch'] = 0
        result = {'all': evaluate(model, heldout, 'all')}
        if gates == 'learned':
            result['learned'] = evaluate(model, heldout, 'learned')
        say(event='epoch', stage=a.stage, epoch=state['epoch'], utterances=len(items), train_hours=round(state['seconds'] / 3600, 2), heldout=result)
        save(); last_save = time.time()


if __name__ == '__main__':
    main()
