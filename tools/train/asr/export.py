"""Exports a trained checkpoint to the graphs the hub runs (models/asr-amortized/):

  frontend.onnx   samples [1, CHUNK*STACK*160 + 240] -> x [1, CHUNK, d]  (log-mel, normalise, stack, project)
  arbiter-<i>.onnx  x [1, CHUNK, d], valid [1, CHUNK] -> p_run [1]
  block-<i>.onnx  x, k_cache, v_cache [1, H, LEFT*CHUNK, dh], valid [1, LEFT*CHUNK + CHUNK] -> y, k_new, v_new
  head.onnx       x [1, CHUNK, d] -> log-probs [1, CHUNK, 29]
  model.json      shapes, alphabet, chunking and the arbitration threshold

One graph per block so that a skipped block costs nothing: the hub simply does not run it. Checks
each graph against the PyTorch module on random input before writing the manifest.

  /usr/bin/python3 tools/train/asr/export.py data/asr/work/amortize.pt models/asr-amortized
"""
import json
import os
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(__file__))
from frontend import HOP, WINDOW  # noqa: E402
from model import ALPHABET, CHUNK, LEFT_CHUNKS, STACK, AmortizedTransformer  # noqa: E402

SAMPLES = CHUNK * STACK * HOP + (WINDOW - HOP)


class Frontend(nn.Module):
    def __init__(self, m: AmortizedTransformer) -> None:
        super().__init__()
        self.m = m

    def forward(self, samples: torch.Tensor) -> torch.Tensor:
        return self.m.embed(self.m.frontend(samples))


class Head(nn.Module):
    def __init__(self, m: AmortizedTransformer) -> None:
        super().__init__()
        self.h = m.head

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.log_softmax(self.h(x), -1)


class Arbiter(nn.Module):
    def __init__(self, m: AmortizedTransformer, i: int) -> None:
        super().__init__()
        self.a = m.arbiters[i]

    def forward(self, x: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
        return self.a(x[:, None], valid[:, None])[:, 0]


class BlockStep(nn.Module):
    def __init__(self, m: AmortizedTransformer, i: int) -> None:
        super().__init__()
        self.m, self.i = m, i

    def forward(self, x, k_cache, v_cache, valid):
        return self.m.block_step(self.i, x, k_cache, v_cache, valid)


def export(module: nn.Module, args: tuple, names: list[str], outputs: list[str], path: str) -> None:
    # A wrapper starts in training mode, and export restores that mode afterwards, recursively,
    # which would switch dropout on in the shared model: evaluate mode throughout.
    module.eval()
    torch.onnx.export(module, args, path, input_names=names, output_names=outputs, opset_version=14, do_constant_folding=True)


def main() -> None:
    ckpt, out = sys.argv[1], sys.argv[2]
    threshold = float(sys.argv[3]) if len(sys.argv) > 3 else 0.5
    os.makedirs(out, exist_ok=True)
    m = AmortizedTransformer()
    state = torch.load(ckpt)
    m.load_state_dict(state['model'])
    m.eval()
    d, heads = m.d, m.blocks[0].heads
    dh, lc = d // heads, LEFT_CHUNKS * CHUNK
    x = torch.randn(1, CHUNK, d)
    valid = torch.ones(1, CHUNK)
    with torch.no_grad():
        export(Frontend(m), (torch.randn(1, SAMPLES) * 1000,), ['samples'], ['x'], os.path.join(out, 'frontend.onnx'))
        export(Head(m), (x,), ['x'], ['logp'], os.path.join(out, 'head.onnx'))
        for i in range(len(m.blocks)):
            export(Arbiter(m, i), (x, valid), ['x', 'valid'], ['p_run'], os.path.join(out, f'arbiter-{i}.onnx'))
            cache = torch.randn(1, heads, lc, dh)
            export(BlockStep(m, i), (x, cache, cache, torch.ones(1, lc + CHUNK)), ['x', 'k_cache', 'v_cache', 'valid'], ['y', 'k_new', 'v_new'],
                   os.path.join(out, f'block-{i}.onnx'))
        check_streaming(m)
        reference = reference_output(m, threshold)
    with open(os.path.join(out, 'reference.json'), 'w') as f:
        json.dump(reference, f)
    spec = {'alphabet': ALPHABET, 'blank': 0, 'chunkFrames': CHUNK, 'frameMs': STACK * HOP // 16, 'leftChunks': LEFT_CHUNKS, 'samplesPerChunk': CHUNK * STACK * HOP,
            'windowOverlap': WINDOW - HOP, 'dModel': d, 'heads': heads, 'headDim': dh, 'blocks': len(m.blocks), 'threshold': threshold,
            'trainedOn': state.get('state'), 'parameters': sum(p.numel() for p in m.parameters())}
    with open(os.path.join(out, 'model.json'), 'w') as f:
        json.dump(spec, f, indent=2)
    files = ['frontend.onnx', *[f'{k}-{i}.onnx' for i in range(len(m.blocks)) for k in ('arbiter', 'block')], 'head.onnx']
    manifest = {'id': 'asr-amortized', 'file': 'model.json', 'license': 'Apache-2.0',
                'source': 'Hearth: trained by tools/train/asr from espeak-ng and flite speech (see card.md)',
                'inputs': [], 'outputs': [], 'parts': [{'file': f} for f in files]}
    path = os.path.join(out, 'manifest.json')
    if not os.path.exists(path):  # the checksums are filled in by node dist/tools/models/manifest.js
        with open(path, 'w') as f:
            json.dump(manifest, f, indent=2)
    print(f'exported {len(m.blocks)} blocks to {out}')


REFERENCE_WAV = 'test/fixtures/audio/cmd-bedroom-lamp-off-awb.wav'


def reference_output(m: AmortizedTransformer, threshold: float) -> dict:
    """What PyTorch computes for a fixture clip, whole utterance at once: the hub's streaming graphs
    must give the same (test/asr/amortized.test.ts), so the runtime is checked against training."""
    from data import read_wav
    from decode import greedy
    with open(REFERENCE_WAV, 'rb') as f:
        samples = torch.from_numpy(read_wav(f.read()))[None]
    feats = m.frontend(samples)
    frames = feats.shape[1] // STACK
    unit = STACK * CHUNK
    padded = torch.zeros(1, -(-feats.shape[1] // unit) * unit, feats.shape[2])
    padded[:, :feats.shape[1]] = feats
    out = {'wav': REFERENCE_WAV, 'threshold': threshold, 'frames': frames}
    for name, gates in (('all', 'all'), ('learned', 'learned')):
        logp, share, _ = m(padded, torch.tensor([frames]), gates=gates, threshold=threshold)
        out[name] = {'text': greedy(logp[0, :frames]), 'blocksRun': float(share), 'logpFirstFrames': logp[0, :6].flatten().tolist()}
    return out


def check_streaming(m: AmortizedTransformer) -> None:
    """Chunk-by-chunk through the streaming pieces must equal the whole-utterance forward (all blocks on)."""
    n_chunks = 5
    samples = torch.randn(1, n_chunks * CHUNK * STACK * HOP + WINDOW - HOP) * 2000
    feats = m.frontend(samples)
    whole, _, _ = m(feats[:, : n_chunks * CHUNK * STACK], torch.tensor([n_chunks * CHUNK]), gates='all')
    heads, dh, lc = m.blocks[0].heads, m.d // m.blocks[0].heads, LEFT_CHUNKS * CHUNK
    caches = [(torch.zeros(1, heads, lc, dh), torch.zeros(1, heads, lc, dh), torch.zeros(1, lc)) for _ in m.blocks]
    outs = []
    for c in range(n_chunks):
        step = CHUNK * STACK * HOP
        x = m.embed(m.frontend(samples[:, c * step: c * step + SAMPLES]))
        for i in range(len(m.blocks)):
            k_cache, v_cache, valid = caches[i]
            x, k, v = m.block_step(i, x, k_cache, v_cache, torch.cat([valid, torch.ones(1, CHUNK)], 1))
            caches[i] = (torch.cat([k_cache, k], 2)[:, :, CHUNK:], torch.cat([v_cache, v], 2)[:, :, CHUNK:], torch.cat([valid, torch.ones(1, CHUNK)], 1)[:, CHUNK:])
        outs.append(torch.log_softmax(m.head(x), -1))
    diff = (torch.cat(outs, 1) - whole).abs().max().item()
    print(f'streaming vs whole: max |diff| {diff:.2e}')
    if not np.isfinite(diff) or diff > 1e-3:
        raise SystemExit(f'streaming graphs disagree with the trained model (max diff {diff})')


if __name__ == '__main__':
    main()
