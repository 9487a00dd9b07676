"""Training and held-out audio for Hearth's ASR, from Debian's espeak-ng and flite voices.

Never festival: its voices are reserved for independent held-out checks. Our own held-out speakers
are flite's slt and espeak-ng's Caribbean English (en-029); no training utterance uses them.

Each shard holds SHARD utterances as log-mel features (the front end in frontend.py) with their
text; a shard that exists is kept, so a stopped run resumes where it stopped.

  /usr/bin/python3 tools/train/asr/data.py train data/asr/train --shards 40
  /usr/bin/python3 tools/train/asr/data.py heldout data/asr/heldout --shards 2
"""
import argparse
import io
import os
import random
import subprocess
import sys
import tempfile
import wave
import zlib
from multiprocessing import Pool

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from frontend import LogMel, SAMPLE_RATE  # noqa: E402
from text import sentence  # noqa: E402

SHARD = int(os.environ.get("HEARTH_SHARD", "500"))
ESPEAK_TRAIN = ['en-us', 'en-gb', 'en-gb-scotland', 'en-gb-x-rp', 'en-us-nyc', 'en-gb-x-gbclan', 'en-gb-x-gbcwmd']
ESPEAK_VARIANTS = ['', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'f1', 'f2', 'f3', 'f4', 'f5', 'klatt', 'klatt2', 'klatt3', 'Andy', 'Annie',
                   'benjamin', 'david', 'ed', 'linda', 'steph', 'john', 'paul', 'robert', 'shelby', 'victor', 'grandma', 'grandpa']
FLITE_TRAIN = ['kal16', 'awb', 'rms', 'kal']
HELDOUT = [('flite', 'slt'), ('espeak', 'en-029')]


def read_wav(data: bytes) -> np.ndarray:
    """Mono float samples at 16 kHz (int16 scale) from a WAV file's bytes."""
    with wave.open(io.BytesIO(data)) as w:
        rate, ch = w.getframerate(), w.getnchannels()
        x = np.frombuffer(w.readframes(w.getnframes()), dtype='<i2').astype(np.float32)
    if ch > 1:
        x = x.reshape(-1, ch).mean(1)
    return resample(x, rate, SAMPLE_RATE)


def resample(x: np.ndarray, rate_from: float, rate_to: float) -> np.ndarray:
    """Band-limited resampling of a whole clip in the frequency domain."""
    if rate_from == rate_to or len(x) == 0:
        return x
    n_out = int(round(len(x) * rate_to / rate_from))
    spec = np.fft.rfft(x)
    bins = n_out // 2 + 1
    out = np.zeros(bins, dtype=complex)
    k = min(bins, len(spec))
    out[:k] = spec[:k]
    return (np.fft.irfft(out, n_out) * (n_out / len(x))).astype(np.float32)


def speak(engine: str, voice: str, text: str, speed: int = 150, pitch: int = 50, stretch: float = 1.0, f0_hz: float | None = None,
          espeak_path: str | None = None) -> np.ndarray:
    """One sentence by one voice: espeak-ng (voice may carry a +variant; speed in words/min, pitch 0-99; espeak_path:
    the folder holding the espeak-ng-data to use, for variants of our own) or flite (f0_hz: the voice's mean pitch,
    which flite's kal, kal16 and awb follow and rms ignores)."""
    with tempfile.NamedTemporaryFile(suffix='.wav') as f:
        if engine == 'espeak':
            cmd = ['espeak-ng', '-v', voice, '-s', str(speed), '-p', str(pitch), '-w', f.name, text]
            if espeak_path:
                cmd[1:1] = [f'--path={espeak_path}']
        else:
            cmd = ['flite', '-voice', voice, '--setf', f'duration_stretch={stretch:.2f}', '-t', text, '-o', f.name]
            if f0_hz is not None:
                cmd[3:3] = ['--setf', f'int_f0_target_mean={f0_hz:.0f}']
        subprocess.run(cmd, check=True, capture_output=True)
        return read_wav(f.read())


def synthesise(engine: str, voice: str, text: str, r: random.Random) -> np.ndarray:
    if engine == 'espeak':
        variant = r.choice(ESPEAK_VARIANTS)
        name = f'{voice}+{variant}' if variant else voice
        return speak(engine, name, text, speed=r.randint(120, 210), pitch=r.randint(20, 80))
    return speak(engine, voice, text, stretch=r.uniform(0.8, 1.3))


def coloured_noise(n: int, r: np.random.Generator) -> np.ndarray:
    """White, pink or brown noise with unit RMS, shaped in the frequency domain."""
    spec = np.fft.rfft(r.standard_normal(n))
    f = np.arange(len(spec)) + 1.0
    spec *= f ** -(r.choice([0.0, 0.5, 1.0]))
    x = np.fft.irfft(spec, n)
    return (x / (np.sqrt(np.mean(x * x)) + 1e-9)).astype(np.float32)


def reverb_and_band(x: np.ndarray, r: random.Random, g: np.random.Generator) -> np.ndarray:
    """Sometimes a room (reverberation), sometimes a cheap speaker or a phone (band-pass); sample positions stay put."""
    if r.random() < 0.3:  # reverberation: an exponentially decaying noise tail after the direct path
        rt60 = r.uniform(0.2, 0.7)
        n = int(rt60 * SAMPLE_RATE)
        tail = g.standard_normal(n) * np.exp(-6.9 * np.arange(n) / n) * r.uniform(0.05, 0.3)
        rir = np.concatenate([[1.0], tail]).astype(np.float32)
        x = np.fft.irfft(np.fft.rfft(x, len(x) + n) * np.fft.rfft(rir, len(x) + n), len(x) + n)[: len(x) + n // 2].astype(np.float32)
    if r.random() < 0.2:  # band-pass: a cheap speaker or a phone
        spec = np.fft.rfft(x)
        f = np.fft.rfftfreq(len(x), 1 / SAMPLE_RATE)
        spec[(f < r.uniform(100, 400)) | (f > r.uniform(3000, 7000))] = 0
        x = np.fft.irfft(spec, len(x)).astype(np.float32)
    return x


def noise_and_gain(x: np.ndarray, r: random.Random, g: np.random.Generator, babble: np.ndarray | None) -> np.ndarray:
    """Mostly some noise (coloured, or another voice) at 5-30 dB SNR; then a level from -20 to +6 dB; int16 range."""
    speech_rms = np.sqrt(np.mean(x * x)) + 1e-9
    if r.random() < 0.7:
        snr_db = r.uniform(5, 30)
        noise = coloured_noise(len(x), g)
        if babble is not None and r.random() < 0.3:
            noise = np.resize(babble, len(x))
            noise = noise / (np.sqrt(np.mean(noise * noise)) + 1e-9)
        x = x + noise * speech_rms / 10 ** (snr_db / 20)
    x = x * 10 ** (r.uniform(-20, 6) / 20)
    return np.clip(x, -32768, 32767)


def augment(x: np.ndarray, r: random.Random, g: np.random.Generator, babble: np.ndarray | None) -> np.ndarray:
    if r.random() < 0.5:
        x = resample(x, SAMPLE_RATE * r.uniform(0.9, 1.1), SAMPLE_RATE)  # speed and pitch together
    x = reverb_and_band(x, r, g)
    lead, trail = int(r.uniform(0.1, 0.6) * SAMPLE_RATE), int(r.uniform(0.2, 0.8) * SAMPLE_RATE)
    x = np.concatenate([np.zeros(lead, np.float32), x, np.zeros(trail, np.float32)])
    return noise_and_gain(x, r, g, babble)


def make_shard(job: tuple[str, str, int]) -> str:
    kind, out, index = job
    path = os.path.join(out, f'shard-{index:04d}.npz')
    if os.path.exists(path):
        return f'{path} kept'
    torch.set_num_threads(1)
    frontend = LogMel()
    r = random.Random(f'{kind}-{index}')
    g = np.random.default_rng(zlib.crc32(f'{kind}-{index}'.encode()))
    feats, texts, voices = [], [], []
    babble = None
    for i in range(SHARD):
        text = sentence(r)
        if kind == 'train':
            engine, voice = ('espeak', r.choice(ESPEAK_TRAIN)) if r.random() < 0.6 else ('flite', r.choice(FLITE_TRAIN))
        else:
            engine, voice = HELDOUT[i % len(HELDOUT)]
        clean = synthesise(engine, voice, text, r)
        if kind == 'train':
            x = augment(clean, r, g, babble)
        else:  # held out: half clean, half at 20 dB SNR pink noise, each with short silences
            pad = np.zeros(int(0.3 * SAMPLE_RATE), np.float32)
            x = np.concatenate([pad, clean, pad, pad])
            if i % 4 >= 2:
                x = x + coloured_noise(len(x), g) * (np.sqrt(np.mean(x * x)) + 1e-9) / 10
        babble = clean
        with torch.no_grad():
            feats.append(frontend(torch.from_numpy(x.astype(np.float32))[None])[0].numpy().astype(np.float16))
        texts.append(text)
        voices.append(f'{engine}-{voice}')
    lengths = np.array([len(f) for f in feats], dtype=np.int32)
    tmp = path + '.tmp.npz'
    np.savez(tmp, feats=np.concatenate(feats), lengths=lengths, texts=np.array(texts), voices=np.array(voices))
    os.replace(tmp, path)  # a shard is there whole or not at all
    return f'{path} {lengths.sum() / 100 / 3600:.2f} h'


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument('kind', choices=['train', 'heldout'])
    p.add_argument('out')
    p.add_argument('--shards', type=int, default=40)
    p.add_argument('--workers', type=int, default=2)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    jobs = [(a.kind, a.out, i) for i in range(a.shards)]
    with Pool(a.workers) as pool:
        for line in pool.imap_unordered(make_shard, jobs):
            print(line, flush=True)


if __name__ == '__main__':
    main()
