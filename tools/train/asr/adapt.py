"""Household adaptation of the amortized model (`hearth learn --voices`, issue 41 item 4): fine-tunes its input
projection (the adapter between the log-mel features and the first block) and its output head on the kept turns,
with everything else frozen, and writes them as frontend.onnx and head.onnx for the hub to load over the shipped
ones. Held-back turns are scored before (the shipped model, or the active adaptation) and after: CTC loss per frame
and greedy sentence accuracy; the caller keeps the result only when it is better.

  /usr/bin/python3 tools/train/asr/adapt.py <turns.tsv> <out-dir> [--active adapter.pt] [--steps 120]

turns.tsv: one turn a line, `<wav path>\t<words>\t<adapt|check>`. Prints one JSON line: {before, after, steps}.
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from data import read_wav  # noqa: E402
from decode import greedy  # noqa: E402
from export import Frontend, Head, SAMPLES, export  # noqa: E402
from model import CHUNK, STACK, AmortizedTransformer, encode_text  # noqa: E402

CHECKPOINT = os.path.join(os.path.dirname(__file__), 'checkpoints', 'amortize.pt')
LEAD_SAMPLES = 4800  # the engine's 0.3 s of silence before each utterance
ADAPTED = ('proj', 'head')


def features(model: AmortizedTransformer, path: str) -> tuple[torch.Tensor, int]:
    with open(path, 'rb') as f:
        x = torch.from_numpy(read_wav(f.read()))
    x = torch.cat([torch.zeros(LEAD_SAMPLES), x])[None]
    with torch.no_grad():
        feats = model.frontend(x)
    unit = STACK * CHUNK
    padded = torch.zeros(1, -(-feats.shape[1] // unit) * unit, feats.shape[2])
    padded[:, :feats.shape[1]] = feats
    return padded, feats.shape[1] // STACK


def score(model: AmortizedTransformer, items: list, threshold: float) -> dict:
    """CTC loss per frame and sentences right (greedy), as the hub runs it (arbitrators at the model's threshold)."""
    model.eval()
    loss = frames_total = 0.0
    correct = 0
    with torch.no_grad():
        for feats, frames, text in items:
            logp, _, _ = model(feats, torch.tensor([frames]), gates='learned', threshold=threshold)
            target = torch.tensor(encode_text(text))
            loss += float(torch.nn.functional.ctc_loss(logp[0, :frames], target, torch.tensor([frames]), torch.tensor([len(target)]), reduction='sum', zero_infinity=True))
            frames_total += frames
            correct += greedy(logp[0, :frames]) == ' '.join(text.split())
    return {'lossPerFrame': loss / max(1.0, frames_total), 'correct': correct, 'total': len(items)}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument('turns')
    p.add_argument('out')
    p.add_argument('--active', help="the active adaptation's adapter.pt (the baseline to beat)")
    p.add_argument('--steps', type=int, default=120)
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--threshold', type=float, default=0.55)
    a = p.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    model = AmortizedTransformer()
    model.load_state_dict(torch.load(CHECKPOINT)['model'])
    rows = [line.rstrip('\n').split('\t') for line in open(a.turns, encoding='utf8') if line.strip()]
    adapt = [(*features(model, w), t) for w, t, s in rows if s == 'adapt']
    check = [(*features(model, w), t) for w, t, s in rows if s == 'check']
    if a.active:
        model.load_state_dict(torch.load(a.active), strict=False)
    before = score(model, check, a.threshold)
    model.load_state_dict(torch.load(CHECKPOINT)['model'])
    for name, param in model.named_parameters():
        param.requires_grad = name.split('.')[0] in ADAPTED
    opt = torch.optim.Adam([q for q in model.parameters() if q.requires_grad], lr=a.lr)
    for step in range(a.steps):
        # Dropout stays off: with a few dozen turns it would only add noise.
        model.eval()
        feats, frames, text = adapt[step % len(adapt)]
        logp, _, _ = model(feats, torch.tensor([frames]), gates='learned', threshold=a.threshold)
        target = torch.tensor(encode_text(text))
        loss = torch.nn.functional.ctc_loss(logp[0, :frames], target, torch.tensor([frames]), torch.tensor([len(target)]), zero_infinity=True)
        opt.zero_grad()
        loss.backward()
        opt.step()
    after = score(model, check, a.threshold)
    os.makedirs(a.out, exist_ok=True)
    torch.save({k: v for k, v in model.state_dict().items() if k.split('.')[0] in ADAPTED}, os.path.join(a.out, 'adapter.pt'))
    with torch.no_grad():
        export(Frontend(model), (torch.randn(1, SAMPLES) * 1000,), ['samples'], ['x'], os.path.join(a.out, 'frontend.onnx'))
        export(Head(model), (torch.randn(1, CHUNK, model.d),), ['x'], ['logp'], os.path.join(a.out, 'head.onnx'))
    print(json.dumps({'before': before, 'after': after, 'steps': a.steps}))


if __name__ == '__main__':
    main()
