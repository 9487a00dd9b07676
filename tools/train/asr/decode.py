"""Greedy CTC decoding and word error counting for training-time checks (the hub decodes in
TypeScript with a prefix beam search over the home grammar: runtime/asr/amortized)."""
import torch

from model import ALPHABET


def greedy(logp: torch.Tensor) -> str:
    """logp [T, V] -> text: best symbol per frame, repeats merged, blanks dropped."""
    best = logp.argmax(-1).tolist()
    out, prev = [], 0
    for s in best:
        if s != prev and s != 0:
            out.append(ALPHABET[s - 1])
        prev = s
    return ' '.join(''.join(out).split())


def wer(reference: str, hypothesis: str) -> tuple[int, int]:
    """(word edits, reference words)"""
    ref, hyp = reference.split(), hypothesis.split()
    row = list(range(len(hyp) + 1))
    for i, rw in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, hw in enumerate(hyp, 1):
            cur = min(row[j] + 1, row[j - 1] + 1, prev + (rw != hw))
            prev, row[j] = row[j], cur
    return row[len(hyp)], len(ref)
