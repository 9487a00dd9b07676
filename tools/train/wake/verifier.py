"""Second-stage wake-word verifiers: a small temporal CNN over the last 1.6 s of mel frames that the hub
runs only when a word's classifier (train.py) fires, and that can veto it.

Why: the classifiers read openWakeWord's frozen speech embeddings, and every run, data change and ensemble
left the same confusions ("hey my crop" for hey_mycroft, "hey rusty" for hey_rhasspy, docs/results/wake-synthetic.md).
The embedding model summarises 760 ms of mel frames into 96 numbers every 80 ms; a verifier reads the mel
frames themselves, where a word's last consonants still are. It is trained on what it will be asked about:
the frames where the shipped classifier scores high (its hard negatives) and the positive frames, in the same
shards, so it learns what the first stage gets wrong, not the whole task again.

Model (TC-ResNet-like, Choi et al. 2019: 1-D convolutions over time with the mel bins as channels):
[1, 160, 32] mel rows -> 4 conv layers (kernel 5, strides 1, 2, 2, 2) -> 64 x 20 -> 64 -> 1 score.
About 3 MFLOPs a call; it runs a few times per candidate, never on every frame.

Frames and labels come from train.py's Shard (same positives: 120-400 ms after the word). Mel rows come from
<shard>.mel (tools/train/wake/mel.ts, the hub's own melRows); the first stage's scores from the shipped
models/wake-hearth-<word>/model.onnx (its weights loaded into train.Classifier) on the int8 embeddings.

  /usr/bin/python3 tools/train/wake/verifier.py data/wake/train models --validation data/wake/validation
      [--words alexa,...] [--steps 8000] [--seeds 1] [--from-checkpoint] [--checkpoints <folder>] [--mine]
  --mine: hard negatives by the verifier's own scores in the second half of the steps (the shipped hey_rhasspy and
      hey_mycroft verifiers, 2026-12-03: expected false accepts per hour on the regenerated validation 0.64 and 1.88
      against 0.83 and 2.24 for the verifiers they replaced; hey_jarvis's was not shipped: docs/results/wake-synthetic.md).
  --features mel40-8k: the verifier reads full-band rows (<shard>.wmel from `mel.js --wide`, runtime/wake/mel.ts
      WIDE_MEL: 40 bands to 8 kHz) instead of openWakeWord's 32 bands that stop at 3800 Hz, where the bursts of /t/ and
      /p/ differ ("hey rusty" against "hey rhasspy"); the manifest says so and the hub computes them for it.
  --shipped: validate the shipped verifiers on this data (their ONNX weights, Folded) and train nothing, so a model
      made on data since lost can be compared with a new one on new data.
"""
import argparse
import json
import os

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from torch import nn

import train
from train import FRAME, SR, WINDOW, Shard

MEL_PER_FRAME = 8
# Mel rows a verifier may read: file extension (tools/train/wake/mel.ts) and bands per row (runtime/wake/mel.ts).
FEATURES = {'mel32': ('.mel', 32), 'mel40-8k': ('.wmel', 40)}
ROWS = 160  # 1.6 s of mel frames: the word and what follows it up to where the first stage fires
CANDIDATE = 0.02  # first-stage scores from which a negative frame is a candidate the verifier must judge
NEAR_PER_SHARD = 600
EASY_PER_SHARD = 300
VERIFIER_THRESHOLDS = [0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995]
# With a verifier the classifier may fire more often: its threshold is searched lower than train.py's, where the
# verifier does the rest (it runs only on frames over that threshold, 0.11 ms each).
FIRST_STAGE_THRESHOLDS = [0.1, 0.2, 0.3, 0.4] + train.THRESHOLDS


def first_stage(word: str, models: str) -> train.Classifier:
    """The shipped classifier (train.Classifier's layout, as train.export wrote it), from its ONNX weights."""
    graph = onnx.load(os.path.join(models, f'wake-hearth-{word}', 'model.onnx')).graph
    weights = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in graph.initializer}
    model = train.Classifier(weights['net.1.weight'].shape[0])
    model.load_state_dict(weights)
    return model.eval()


class MelShard:
    """A shard's labels (train.Shard, int8 embeddings), its mel rows, and the first stage's score per frame."""

    def __init__(self, shard: Shard, base: str, stage1: nn.Module, features: str = 'mel32') -> None:
        self.shard, self.base = shard, base
        ext, self.bins = FEATURES[features]
        self.mel = np.fromfile(base + ext, dtype='<f4').reshape(-1, self.bins).astype(np.float16)
        n = min(len(shard.emb), len(self.mel) // MEL_PER_FRAME)
        self.frames = n
        w = train.Windows([shard.emb[:n]], [np.zeros(n, np.int8)])
        ends = np.arange(WINDOW - 1, n)
        self.s1 = np.zeros(n, np.float32)
        self.s1[ends] = w.scores(stage1, ends)

    def windows(self, frames: np.ndarray) -> np.ndarray:
        """[len(frames), ROWS, bins] mel rows ending with each frame's last row (zeros before the stream)."""
        out = np.zeros((len(frames), ROWS, self.bins), np.float16)
        for i, f in enumerate(frames):
            b = (f + 1) * MEL_PER_FRAME
            a = max(0, b - ROWS)
            out[i, ROWS - (b - a):] = self.mel[a:b]
        return out


def load(folder: str, word: str, stage1: nn.Module, validation_only: bool, features: str = 'mel32') -> list[MelShard]:
    out = []
    for sh in train.load(folder, [word], ['int8'], validation_only=validation_only):
        base = os.path.join(folder, f'{sh.kind}-{sh.index:04d}')
        if os.path.exists(base + FEATURES[features][0]):
            out.append(MelShard(sh, base, stage1, features))
    return out


class Verifier(nn.Module):
    def __init__(self, width: int = 48, bins: int = 32) -> None:
        super().__init__()
        layers, c = [], bins
        for out, stride in [(width, 1), (width, 2), (64, 2), (64, 2)]:
            layers += [nn.Conv1d(c, out, 5, stride, 2), nn.BatchNorm1d(out), nn.ReLU()]
            c = out
        self.conv = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.Linear(64 * ROWS // 8, 64), nn.ReLU(), nn.Linear(64, 1), nn.Sigmoid())

    def forward(self, mel: torch.Tensor) -> torch.Tensor:  # [B, ROWS, bins] -> [B, 1]
        return self.head(self.conv(mel.transpose(1, 2)))


def training_set(shards: list[MelShard], word: str, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Positive frames; negative frames the first stage scores at CANDIDATE or more (few: it was trained on these
    shards); frames of near-miss clips (what it confuses on unseen voices), NEAR_PER_SHARD a shard; and as many
    ordinary negative frames as hard ones, so the verifier sees what the first stage rules out, too."""
    xs, ys = [], []
    for m in shards:
        y = m.shard.labels[word][:m.frames]
        pos = np.nonzero(y == 1)[0]
        hard = np.nonzero((y == 0) & (m.s1 >= CANDIDATE))[0]
        near = np.nonzero((y == 0) & (m.shard.near[:m.frames] >= 0) & (m.s1 < CANDIDATE))[0]
        near = rng.choice(near, min(len(near), NEAR_PER_SHARD), replace=False)
        easy = np.nonzero((y == 0) & (m.shard.near[:m.frames] < 0) & (m.s1 < CANDIDATE))[0]
        easy = rng.choice(easy, min(len(easy), EASY_PER_SHARD), replace=False)
        frames = np.concatenate([pos, hard, near, easy])
        xs.append(m.windows(frames))
        ys.append(np.concatenate([np.ones(len(pos)), np.zeros(len(hard) + len(near) + len(easy))]).astype(np.float32))
    return np.concatenate(xs), np.concatenate(ys)


class Folded(nn.Module):
    """A Verifier as export() wrote it (ONNX, batch norms folded into the convolutions), to validate a shipped one on
    new data: the same layers without BatchNorm and Dropout."""

    def __init__(self, path: str) -> None:
        super().__init__()
        graph = onnx.load(path).graph
        w = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in graph.initializer}
        convs = [n for n in graph.node if n.op_type == 'Conv']
        layers: list[nn.Module] = []
        for n in convs:
            weight, bias = w[n.input[1]], w[n.input[2]]
            stride = next(a.ints[0] for a in n.attribute if a.name == 'strides')
            conv = nn.Conv1d(weight.shape[1], weight.shape[0], weight.shape[2], stride, weight.shape[2] // 2)
            conv.weight.data, conv.bias.data = weight, bias
            layers += [conv, nn.ReLU()]
        self.conv = nn.Sequential(*layers)
        gemms = [n for n in graph.node if n.op_type == 'Gemm']
        linears = []
        for n in gemms:
            lin = nn.Linear(w[n.input[1]].shape[1], w[n.input[1]].shape[0])
            lin.weight.data, lin.bias.data = w[n.input[1]], w[n.input[2]]
            linears.append(lin)
        self.head = nn.Sequential(nn.Flatten(), linears[0], nn.ReLU(), linears[1], nn.Sigmoid())

    def forward(self, mel: torch.Tensor) -> torch.Tensor:
        return self.head(self.conv(mel.transpose(1, 2)))


def warp_bands(xb: torch.Tensor, most: int) -> torch.Tensor:
    """Each window's rows moved up or down by 0..most mel bands (the edge band repeated into the gap): vocal tract length
    perturbation (VTLP) in the mel domain. Above 1 kHz one Slaney band of WIDE_MEL is a factor of about 1.07 in frequency,
    so 2 bands scale every formant by 0.86-1.16, the spread between the training voices and a shorter or longer tract
    (flite's only woman, slt, is kept out of training and is the evaluation's most missed speaker)."""
    if most == 0:
        return xb
    bins = xb.shape[2]
    shift = torch.randint(-most, most + 1, (xb.shape[0], 1, 1))
    src = (torch.arange(bins).view(1, 1, bins) - shift).clamp(0, bins - 1)
    return torch.gather(xb, 2, src.expand(-1, xb.shape[1], -1))


def train_verifier(x: np.ndarray, y: np.ndarray, steps: int, seed: int, mine: bool = False, warp: int = 0) -> Verifier:  # x: [N, ROWS, bins]
    """mine: after the first half of the steps, half of each batch's negatives come from the negatives this verifier
    scores highest (refreshed every 500 steps), as train.py does for the classifiers; without it every negative is
    drawn at random from the fixed set, where the near-miss frames that look like the word are a small share.
    warp: the most mel bands warp_bands moves a training window by (0: none), positives and negatives alike, so that a
    shift alone never tells them apart."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = Verifier(bins=x.shape[2])
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=steps)
    pos, neg = np.nonzero(y == 1)[0], np.nonzero(y == 0)[0]
    loss_fn = nn.BCELoss()
    hard = None
    for step in range(steps):
        if mine and step >= steps // 2 and (hard is None or step % 500 == 0):
            model.eval()
            s = window_scores(model, x, neg)
            model.train()
            hard = neg[np.argsort(-s)[: max(2048, len(s) // 50)]]
        negs = rng.choice(neg, 64) if hard is None else np.concatenate([rng.choice(neg, 32), rng.choice(hard, 32)])
        idx = np.concatenate([rng.choice(pos, 64), negs])
        xb = torch.from_numpy(x[idx].astype(np.float32))
        xb = warp_bands(xb, warp) + torch.empty(len(idx), 1, 1).uniform_(-0.3, 0.3)  # gain: a constant shift of spec/10 + 2
        loss = train.optimise(opt, sched, loss_fn(model(xb)[:, 0], torch.from_numpy(y[idx])))
        if step % 500 == 0 or step == steps - 1:
            print(f'step {step} loss {loss.item():.4f}', flush=True)
    return model.eval()


def window_scores(model: nn.Module, x: np.ndarray, rows: np.ndarray, size: int = 4096) -> np.ndarray:
    """The model's score for each of x[rows] (mel windows), in batches."""
    out = np.zeros(len(rows), np.float32)
    with torch.no_grad():
        for i in range(0, len(rows), size):
            out[i:i + size] = model(torch.from_numpy(x[rows[i:i + size]].astype(np.float32)))[:, 0].numpy()
    return out


def verify_scores(model: nn.Module, m: MelShard, frames: np.ndarray) -> np.ndarray:
    out = np.zeros(len(frames), np.float32)
    with torch.no_grad():
        for i in range(0, len(frames), 1024):
            out[i:i + 1024] = model(torch.from_numpy(m.windows(frames[i:i + 1024]).astype(np.float32)))[:, 0].numpy()
    return out


def validate(model: nn.Module | None, word: str, shards: list[MelShard]) -> dict:
    """train.validate's rule over the cascade: at each first-stage point (threshold, patience) and verifier threshold,
    the hub fires at a frame where the first stage's sustained score reaches its threshold and the verifier agrees."""
    everyday_hours = sum(m.frames for m in shards if m.shard.kind not in train.NEAR_KINDS) * FRAME / SR / 3600
    near_clips = sum(len(set(m.shard.near[m.shard.near >= 0].tolist())) for m in shards if m.shard.kind in train.NEAR_KINDS)
    lowest = min(FIRST_STAGE_THRESHOLDS)
    vscores = []
    for m in shards:
        v = np.ones(m.frames, np.float32)
        if model is not None:
            cand = np.nonzero(m.s1 >= lowest)[0]
            v[:] = 0
            v[cand] = verify_scores(model, m, cand)
        vscores.append(v)
    rows = []
    for p in train.PATIENCES:
        held = [(train.sustained(m.s1, p), m) for m in shards]
        for t in FIRST_STAGE_THRESHOLDS if model is not None else train.THRESHOLDS:
            for vt in VERIFIER_THRESHOLDS if model is not None else [0.0]:
                hit, pos, fa, near = 0, 0, 0, 0
                for (s, m), v in zip(held, vscores):
                    both = np.where((s >= t) & (v >= vt), 1.0, 0.0)
                    h, n, f, fired = train.operating_point(both, m.shard.labels[word][:m.frames], _Trim(m), 0.5)
                    hit, pos, fa, near = hit + h, pos + n, fa + f, near + len(fired)
                rows.append({'threshold': t, 'patienceFrames': p, 'verifierThreshold': vt, 'recall': hit / max(1, pos),
                             'falseAcceptsPerHour': fa / everyday_hours, 'nearMissRate': near / max(1, near_clips)})
    expected = lambda r: r['falseAcceptsPerHour'] + train.NEAR_MISSES_PER_HOUR * r['nearMissRate']  # noqa: E731
    reach = [r for r in rows if r['recall'] >= train.TARGET_RECALL]
    chosen = min(reach, key=lambda r: (expected(r), -r['recall'])) if reach else max(rows, key=lambda r: r['recall'])
    return {**chosen, 'expectedFalseAcceptsPerHour': expected(chosen), 'everydayHours': everyday_hours, 'nearMissClips': near_clips,
            'firesAfterWordEndMs': fires_after_word_end_ms(word, shards, vscores, chosen), 'curve': rows}


def fires_after_word_end_ms(word: str, shards: list[MelShard], vscores: list[np.ndarray], point: dict) -> dict:
    """From the end of the wake word to the end of the frame the hub fires on, over the validation positives it finds
    at `point` (median and 90th percentile): it must stay inside the pre-roll (vad.prerollMs, 300 ms), or the first word
    of a command said without a pause is cut."""
    out = []
    for m, v in zip(shards, vscores):
        fire = (train.sustained(m.s1, point['patienceFrames']) >= point['threshold']) & (v >= point['verifierThreshold'])
        end = (np.arange(m.frames) + 1) * FRAME
        for c in json.load(open(m.base + '.json'))['clips']:
            if c.get('word') != word:
                continue
            s, t = c['wakeStart'], c['wakeEnd']
            hits = np.nonzero(fire & (end > s + (t - s) / 2) & (end < t + train.IGNORE_TO_S * SR))[0]
            if len(hits):
                out.append((end[hits[0]] - t) / SR * 1000)
    return {'median': float(np.median(out)), 'p90': float(np.percentile(out, 90)), 'positives': len(out)} if out else {}


class _Trim:
    """A shard view cut to the frames that have mel rows (operating_point reads kind and near)."""

    def __init__(self, m: MelShard) -> None:
        self.kind, self.near = m.shard.kind, m.shard.near[:m.frames]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument('data')
    p.add_argument('models')
    p.add_argument('--words', default='alexa,hey_jarvis,hey_mycroft,hey_rhasspy')
    p.add_argument('--steps', type=int, default=8000)  # 8000 beat 4000 on validation for every word (docs/results/wake-synthetic.md)
    p.add_argument('--seeds', default='1', help='one verifier per seed; several ship as their mean score (an Ensemble)')
    p.add_argument('--validation', action='append', default=[])
    p.add_argument('--checkpoints', help='folder for verifier-<word>-seed<seed>.pt; default: the data folder')
    p.add_argument('--shipped', action='store_true', help='validate the shipped verifiers (models/wake-hearth-<word>-verifier) on this data; train none')
    p.add_argument('--mine', action='store_true', help="hard negatives by the verifier's own scores in the second half (train_verifier)")
    p.add_argument('--features', choices=sorted(FEATURES), default='mel32', help='mel rows the verifier reads (mel40-8k: full band, from mel.js --wide)')
    p.add_argument('--warp', type=int, default=0, help='train on windows moved by up to this many mel bands (warp_bands: VTLP); 0: none')
    p.add_argument('--threads', type=int, default=2, help='torch threads; 1 lets two words train side by side on a 2-core machine')
    p.add_argument('--from-checkpoint', action='store_true', help='load every verifier-<word>-seed<seed>.pt, train none (without it, only missing ones are trained)')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    seeds = [int(x) for x in a.seeds.split(',')]
    rng = np.random.default_rng(seeds[0])
    for w in a.words.split(','):
        stage1 = first_stage(w, a.models)
        shards = load(a.data, w, stage1, False, a.features)
        val = [m for m in shards if m.shard.validation] + [m for f in a.validation for m in load(f, w, stage1, True, a.features)]
        tr = [m for m in shards if not m.shard.validation]
        if a.shipped:
            r = validate(Folded(os.path.join(a.models, f'wake-hearth-{w}-verifier', 'model.onnx')), w, val)
            print(f'{w} shipped verifier: threshold {r["threshold"]} patience {r["patienceFrames"]} verifier {r["verifierThreshold"]}: '
                  f'recall {r["recall"]:.3f} FA/h {r["falseAcceptsPerHour"]:.2f} near {r["nearMissRate"]:.4f} expected {r["expectedFalseAcceptsPerHour"]:.2f}', flush=True)
            continue
        members, data = [], None
        for seed in seeds:
            path = os.path.join(a.checkpoints or a.data, f'verifier-{w}-seed{seed}.pt')
            if os.path.exists(path) or a.from_checkpoint:  # a stopped run resumes; --from-checkpoint never trains
                member = Verifier(bins=FEATURES[a.features][1])
                member.load_state_dict(torch.load(path))
                members.append(member.eval())
                continue
            if data is None:
                data = training_set(tr, w, rng)
                print(f'{w}: {int(data[1].sum())} positive and {int((data[1] == 0).sum())} negative verifier windows', flush=True)
            members.append(train_verifier(data[0], data[1], a.steps, seed, a.mine, a.warp))
            torch.save(members[-1].state_dict(), path)
        model = train.ensemble(members)
        alone = validate(None, w, val)
        both = validate(model, w, val)
        for name, r in [('first stage alone', alone), ('with verifier', both)]:
            print(f'{w} {name}: threshold {r["threshold"]} patience {r["patienceFrames"]} verifier {r["verifierThreshold"]}: recall {r["recall"]:.3f} '
                  f'FA/h {r["falseAcceptsPerHour"]:.2f} near {r["nearMissRate"]:.4f} expected {r["expectedFalseAcceptsPerHour"]:.2f}; '
                  f'fires after the word ends (ms) {r["firesAfterWordEndMs"]}', flush=True)
        info = {'alone': alone, 'verifier': both, 'steps': a.steps, 'seeds': seeds, 'mine': a.mine, 'warp': a.warp, 'rows': ROWS, 'features': a.features, 'validationHours': sum(m.frames for m in val) * FRAME / SR / 3600}
        if both['expectedFalseAcceptsPerHour'] < alone['expectedFalseAcceptsPerHour']:
            export(model, w, a.models, info)
        else:
            print(f'{w}: the verifier does not lower the expected false accepts on validation; not exported', flush=True)


def export(model: nn.Module, word: str, models: str, info: dict) -> None:
    """models/wake-hearth-<word>-verifier (its own folder, manifest and card, like any model), and the classifier's
    manifest names it, with the first-stage point chosen with it; the point without it stays as withoutVerifier."""
    vid = f'wake-hearth-{word}-verifier'
    out = os.path.join(models, vid)
    os.makedirs(out, exist_ok=True)
    torch.onnx.export(model, torch.zeros(1, ROWS, FEATURES[info['features']][1]), os.path.join(out, 'model.onnx'), input_names=['mel'], output_names=['score'],
                      opset_version=14, do_constant_folding=True)
    chosen = info['verifier']
    write_json(os.path.join(out, 'manifest.json'), {**read_json(os.path.join(out, 'manifest.json')), 'id': vid, 'file': 'model.onnx',
               'license': 'Apache-2.0', 'source': 'Hearth: tools/train/wake/verifier.py (temporal CNN over the hub\'s mel frames of espeak-ng, flite and GnuSpeech speech)',
               'sampleRateHz': SR, 'threshold': chosen['verifierThreshold'], 'features': info['features']})
    write_json(os.path.join(out, 'training.json'), info)
    cpath = os.path.join(models, f'wake-hearth-{word}', 'manifest.json')
    c = read_json(cpath)
    alone = c.get('withoutVerifier') or {'threshold': c['threshold'], 'patienceFrames': c['patienceFrames']}
    c.update({'threshold': chosen['threshold'], 'patienceFrames': chosen['patienceFrames'], 'verifier': vid, 'withoutVerifier': alone})
    write_json(cpath, c)


def read_json(path: str) -> dict:
    return json.load(open(path)) if os.path.exists(path) else {}


def write_json(path: str, value: dict) -> None:
    with open(path, 'w') as f:
        json.dump(value, f, indent=2 if path.endswith('manifest.json') else 1)
        f.write('\n')


if __name__ == '__main__':
    main()
