"""The feature front end, one definition for training and for the ONNX graph the hub runs.

Log-mel energies of 25 ms windows every 10 ms (40 bands, 20-7600 Hz) over int16 sample values as
floats, the scale the hub's frames carry. The DFT is a strided Conv1d with a Hann-windowed cosine and
sine basis: it exports to a plain ONNX Conv, so the hub computes exactly what training saw.
"""
import math

import numpy as np
import torch
from torch import nn

SAMPLE_RATE = 16000
WINDOW = 400   # 25 ms
HOP = 160      # 10 ms
BINS = WINDOW // 2 + 1
MELS = 40


def mel_matrix(n_mels: int = MELS, f_min: float = 20.0, f_max: float = 7600.0) -> np.ndarray:
    """Triangular filters on the HTK mel scale, [BINS, n_mels]."""
    mel = lambda f: 2595.0 * np.log10(1.0 + f / 700.0)
    hz = lambda m: 700.0 * (10 ** (m / 2595.0) - 1.0)
    edges = hz(np.linspace(mel(f_min), mel(f_max), n_mels + 2))
    freqs = np.arange(BINS) * SAMPLE_RATE / WINDOW
    out = np.zeros((BINS, n_mels), dtype=np.float32)
    for m in range(n_mels):
        lo, mid, hi = edges[m], edges[m + 1], edges[m + 2]
        up = (freqs - lo) / (mid - lo)
        down = (hi - freqs) / (hi - mid)
        out[:, m] = np.maximum(0.0, np.minimum(up, down))
    return out


class LogMel(nn.Module):
    """[batch, samples] int16-scale floats -> [batch, frames, MELS]; frames = (samples - WINDOW) // HOP + 1."""

    def __init__(self) -> None:
        super().__init__()
        n = torch.arange(WINDOW, dtype=torch.float64)
        k = torch.arange(BINS, dtype=torch.float64)[:, None]
        hann = 0.5 - 0.5 * torch.cos(2 * math.pi * n / WINDOW)
        angle = 2 * math.pi * k * n / WINDOW
        basis = torch.cat([torch.cos(angle) * hann, -torch.sin(angle) * hann], 0)
        self.register_buffer('basis', basis.float().unsqueeze(1))  # [2*BINS, 1, WINDOW]
        self.register_buffer('mel', torch.from_numpy(mel_matrix()))

    def forward(self, samples: torch.Tensor) -> torch.Tensor:
        spec = torch.nn.functional.conv1d(samples.unsqueeze(1), self.basis, stride=HOP)  # [B, 2*BINS, T]
        re, im = spec[:, :BINS], spec[:, BINS:]
        power = (re * re + im * im).transpose(1, 2)  # [B, T, BINS]
        # +1 floors digital silence (int16 scale): log(1) = 0 instead of -inf.
        return torch.log(power @ self.mel + 1.0)
