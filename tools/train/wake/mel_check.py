"""Checks that runtime/wake/mel.ts computes what openWakeWord's melspectrogram.onnx computes, from the model's own
graph and weights: the DFT kernels are a 400-sample periodic Hann window centred in 512 taps times cos/sin, the
filterbank is librosa's Slaney mel (16 kHz, n_fft 512, 32 bands, 60-3800 Hz, area-normalised), and the constants after
it are amin 1e-10, 10 log10, top_db 80. Prints each comparison; exits 1 if one is off.

  /usr/bin/python3 tools/train/wake/mel_check.py [models/openwakeword-melspectrogram/melspectrogram.onnx]
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper

PATH = sys.argv[1] if len(sys.argv) > 1 else 'models/openwakeword-melspectrogram/melspectrogram.onnx'
N_FFT, WINDOW, MELS, SR, FMIN, FMAX = 512, 400, 32, 16000, 60.0, 3800.0


def slaney_mel(hz):
    hz = np.asarray(hz, float)
    return np.where(hz < 1000, hz / (200 / 3), 15 + np.log(np.maximum(hz, 1e-10) / 1000) / (np.log(6.4) / 27))


def slaney_hz(mel):
    mel = np.asarray(mel, float)
    return np.where(mel < 15, mel * (200 / 3), 1000 * np.exp((np.log(6.4) / 27) * (mel - 15)))


def filterbank():
    edges = slaney_hz(np.linspace(slaney_mel(FMIN), slaney_mel(FMAX), MELS + 2))
    bins = np.linspace(0, SR / 2, N_FFT // 2 + 1)
    fb = np.zeros((N_FFT // 2 + 1, MELS))
    for m in range(MELS):
        lo, mid, hi = edges[m:m + 3]
        fb[:, m] = np.maximum(0, np.minimum((bins - lo) / (mid - lo), (hi - bins) / (hi - mid))) * 2 / (hi - lo)
    return fb


def main():
    model = onnx.load(PATH)
    w = {i.name: numpy_helper.to_array(i).astype(np.float64) for i in model.graph.initializer}
    consts = {n.output[0]: float(numpy_helper.to_array(n.attribute[0].t)) for n in model.graph.node
              if n.op_type == 'Constant' and numpy_helper.to_array(n.attribute[0].t).size == 1}
    window = np.zeros(N_FFT)
    pad = (N_FFT - WINDOW) // 2
    window[pad:pad + WINDOW] = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(WINDOW) / WINDOW)
    n, k = np.arange(N_FFT), np.arange(N_FFT // 2 + 1)[:, None]
    checks = [
        ('DFT real kernels = Hann(400) in 512 x cos', np.abs(w['0.stft.conv_real.weight'][:, 0, :] - window * np.cos(2 * np.pi * k * n / N_FFT)).max(), 1e-6),
        ('DFT imaginary kernels = -Hann x sin', np.abs(w['0.stft.conv_imag.weight'][:, 0, :] + window * np.sin(2 * np.pi * k * n / N_FFT)).max(), 1e-6),
        ('filterbank = Slaney mel 60-3800 Hz', np.abs(w['1.melW'] - filterbank()).max(), 1e-6),
        ('amin 1e-10', abs(w['onnx::Clip_39'] - 1e-10), 1e-16),
        ('10 log10: x 10 / ln 10', abs(consts.get('onnx::Mul_26', 0) - 10) + abs(consts.get('onnx::Div_28', 0) - np.log(10)), 1e-6),
        ('top_db 80', abs(consts.get('onnx::Sub_33', 0) - 80), 0),
    ]
    bad = 0
    for what, err, tolerance in checks:
        ok = err <= tolerance
        bad += not ok
        print(f'{"ok " if ok else "OFF"} {what}: max difference {err:.3g}')
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
