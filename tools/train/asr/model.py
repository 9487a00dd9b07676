"""Hearth's compute-amortized streaming Transformer (after "Compute cost amortized Transformer for
streaming ASR", Interspeech 2022).

Audio is cut into chunks of CHUNK output frames (30 ms each). Every block is a pre-norm Transformer
layer whose attention sees its own chunk and LEFT_CHUNKS chunks before it (ALiBi distance biases, so
no absolute positions are needed and a chunk computes the same in training and streaming). In
front of each block an arbitrator, a two-layer network over the chunk's mean input, decides whether
the block runs on this chunk. A skipped block passes its input through unchanged and leaves no keys
or values for later chunks, so skipping saves the block's whole cost, in training exactly as in the
hub. Training adds penalty * (share of blocks run) to the CTC loss: the penalty is the knob.
"""
import math

import torch
from torch import nn

from frontend import LogMel, MELS

ALPHABET = " 'abcdefghijklmnopqrstuvwxyz"  # index 0 is the CTC blank, then these
STACK = 3          # feature frames (10 ms) per model frame: 30 ms
CHUNK = 8          # model frames per chunk: 240 ms
LEFT_CHUNKS = 8    # attention context to the left: 1.92 s


def encode_text(text: str) -> list[int]:
    return [ALPHABET.index(c) + 1 for c in text if c in ALPHABET]


def alibi_slopes(heads: int) -> torch.Tensor:
    return torch.tensor([2 ** (-8 * (h + 1) / heads) for h in range(heads)])


class Block(nn.Module):
    def __init__(self, d: int, heads: int, ff: int, dropout: float) -> None:
        super().__init__()
        self.heads, self.dh = heads, d // heads
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.out = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.ff = nn.Sequential(nn.Linear(d, ff), nn.GELU(), nn.Dropout(dropout), nn.Linear(ff, d))
        self.drop = nn.Dropout(dropout)
        self.register_buffer('slopes', alibi_slopes(heads))

    def project(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        b, t, _ = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, t, 3, self.heads, self.dh).permute(2, 0, 3, 1, 4)
        return q, k, v  # each [B, H, T, dh]

    def attend(self, x: torch.Tensor, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        att = (q @ k.transpose(-1, -2)) / math.sqrt(self.dh) + bias
        y = torch.softmax(att, -1) @ v  # [B, H, Tq, dh]
        y = y.transpose(1, 2).reshape(x.shape)
        x = x + self.drop(self.out(y))
        return x + self.drop(self.ff(self.ln2(x)))

    def distance_bias(self, q_pos: torch.Tensor, k_pos: torch.Tensor) -> torch.Tensor:
        return -self.slopes[:, None, None] * (q_pos[:, None] - k_pos[None, :]).abs().float()  # [H, Tq, Tk]


class Arbitrator(nn.Module):
    """P(run the block) for a chunk, from the mean of the block's input over the chunk's real frames."""

    def __init__(self, d: int, hidden: int = 32) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(d, hidden), nn.ReLU(), nn.Linear(hidden, 1))
        nn.init.constant_(self.net[2].bias, 3.0)  # start with every block on

    def forward(self, x: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
        """x [B, nC, C, d], valid [B, nC, C] -> [B, nC]"""
        mean = (x * valid[..., None]).sum(2) / valid.sum(2, keepdim=True).clamp(min=1)
        return torch.sigmoid(self.net(mean)).squeeze(-1)


class AmortizedTransformer(nn.Module):
    def __init__(self, d: int = 144, heads: int = 4, ff: int = 576, layers: int = 8, dropout: float = 0.1) -> None:
        super().__init__()
        self.frontend = LogMel()
        self.register_buffer('feat_mean', torch.zeros(MELS))
        self.register_buffer('feat_std', torch.ones(MELS))
        self.proj = nn.Linear(MELS * STACK, d)
        self.blocks = nn.ModuleList(Block(d, heads, ff, dropout) for _ in range(layers))
        self.arbiters = nn.ModuleList(Arbitrator(d) for _ in range(layers))
        self.head = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, len(ALPHABET) + 1))
        self.d = d

    def embed(self, feats: torch.Tensor) -> torch.Tensor:
        """[B, T, MELS] raw log-mel -> [B, T // STACK, d]"""
        b, t, _ = feats.shape
        t = t - t % STACK
        x = ((feats[:, :t] - self.feat_mean) / self.feat_std).reshape(b, t // STACK, MELS * STACK)
        return self.proj(x)

    def forward(self, feats: torch.Tensor, frames: torch.Tensor, gates: str = 'all', threshold: float = 0.5,
                drop_rate: float = 0.0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """feats [B, T, MELS] (T a multiple of STACK*CHUNK), frames [B] real model frames.
        gates: 'all' (every block runs), 'learned' (arbitrators, straight-through in training),
        with drop_rate: chunks skip blocks at random (robustness to skipping).
        Returns log-probs [B, T', V], the share of (block, chunk) pairs run, the arbitrators' mean P."""
        x = self.embed(feats)
        b, t, d = x.shape
        n_chunks = t // CHUNK
        pos = torch.arange(t)
        chunk_of = pos // CHUNK
        valid = (pos[None, :] < frames[:, None]).float()  # [B, T']
        valid_c = valid.view(b, n_chunks, CHUNK)
        chunk_real = valid_c.amax(2)  # [B, nC] chunks with at least one real frame
        window = (chunk_of[None, :] <= chunk_of[:, None]) & (chunk_of[None, :] >= chunk_of[:, None] - LEFT_CHUNKS)  # [Tq, Tk]
        run_total, p_total = torch.zeros(()), torch.zeros(())
        for block, arbiter in zip(self.blocks, self.arbiters):
            if gates == 'learned':
                p = arbiter(x.view(b, n_chunks, CHUNK, d), valid_c)
                hard = (p > threshold).float()
                g = hard + p - p.detach() if self.training else hard
                p_total = p_total + (p * chunk_real).sum()
            else:
                p = torch.ones(b, n_chunks)
                hard = (torch.rand(b, n_chunks) >= drop_rate).float() if drop_rate > 0 else p
                g = hard
            run_total = run_total + (hard * chunk_real).sum()
            ran_frame = hard[:, chunk_of]  # [B, T']
            # a key is visible when it is in the window, real, and its chunk ran this block (or it is the query's own chunk)
            same_chunk = chunk_of[None, :] == chunk_of[:, None]
            visible = window[None] & (valid[:, None, :] > 0) & ((ran_frame[:, None, :] > 0) | same_chunk[None])
            bias = block.distance_bias(pos, pos)[None] + torch.where(visible, 0.0, -1e9)[:, None]
            q, k, v = block.project(x)
            y = block.attend(x, q, k, v, bias)
            x = x + g[:, chunk_of, None] * (y - x)
        logp = torch.log_softmax(self.head(x), -1)
        n = chunk_real.sum() * len(self.blocks)
        return logp, run_total / n, p_total / n

    # ---- streaming pieces, exported one graph each (export.py) ----

    def block_step(self, i: int, x: torch.Tensor, k_cache: torch.Tensor, v_cache: torch.Tensor, valid: torch.Tensor):
        """x [1, C, d]; caches [1, H, L*C, dh]; valid [1, L*C + C] -> y, k_new, v_new."""
        block = self.blocks[i]
        q, k, v = block.project(x)
        keys, values = torch.cat([k_cache, k], 2), torch.cat([v_cache, v], 2)
        lc = LEFT_CHUNKS * CHUNK
        bias = block.distance_bias(torch.arange(CHUNK) + lc, torch.arange(lc + CHUNK))[None] + ((valid - 1.0) * 1e9)[:, None, None, :]
        return block.attend(x, q, keys, values, bias), k, v
