"""Training audio for Hearth's own wake-word classifiers, from Debian's espeak-ng and flite voices and from
GnuSpeech (tools/train/wake/gnuspeech.ts: an articulatory synthesiser whose speaker is a set of numbers, so each
clip of a 'gnuspeech' shard has a speaker of its own).

The evaluation set (tools/wake-data/generate.ts, `hearth wake-eval`) is kept apart by voice and by text:
- espeak-ng: training uses other voice variants (m2, m4, klatt, Andy, ...) than the evaluation's
  ('', f1-f4, m1, m3, m5), in the same eight English accents;
- flite: slt is never used here, so it is an unseen speaker in the evaluation; kal, kal16, awb and rms
  are (other speeds of) the evaluation's speakers, and the results say so;
- near-miss phrases here are different ones from the evaluation's (checked below against text.ts);
- negative speech comes from the ASR's training sentences (tools/train/asr/text.py), not text.ts.
Never festival: its voices are reserved for independent held-out checks.

Each shard is one continuous 16 kHz int16 stream (shard-NNNN.pcm) with its clips listed in
shard-NNNN.json: where each clip starts, and for a positive where the wake word starts and ends.
tools/train/wake/embed.ts runs Hearth's own wake features over the stream, exactly as the hub does.
A shard that exists is kept, so a stopped run resumes.

  /usr/bin/python3 tools/train/wake/data.py data/wake/train --shards 40
  /usr/bin/python3 tools/train/wake/data.py data/wake/train --shards 16 --kind near
  /usr/bin/python3 tools/train/wake/data.py data/wake/train --shards 24 --kind speech
  /usr/bin/python3 tools/train/wake/data.py data/wake/train --shards 20 --kind varied
  /usr/bin/python3 tools/train/wake/data.py data/wake/train --shards 16 --kind edits
  /usr/bin/python3 tools/train/wake/data.py data/wake/train --shards 24 --kind gnuspeech   (after npm run build)
  /usr/bin/python3 tools/train/wake/data.py data/wake/train --shards 16 --kind gnunear
  /usr/bin/python3 tools/train/wake/data.py data/wake/train --shards 16 --kind phonetic  (needs wamerican; neighbours.py)
  /usr/bin/python3 tools/train/wake/data.py data/wake/phonemes --shards 16 --kind phonemes  (tried; not in the shipped run:
      trained from a folder of links to train/ and phonemes/, validated with --first 16 --shards 16 in phonemes-validation/)
  /usr/bin/python3 tools/train/wake/data.py data/wake/speakers --shards 16 --kind speakers  (tried; not in the shipped run)
  /usr/bin/python3 tools/train/wake/data.py data/wake/shifted --shards 32 --kind shifted  (tried for hey_jarvis's classifier,
      2026-12-03: hears spectrally shifted voices far better, the same on validation and on set 6; not shipped yet)
  /usr/bin/python3 tools/train/wake/data.py data/wake/prefixes --shards 16 --kind prefixes  (needs wamerican; neighbours.py)
  /usr/bin/python3 tools/train/wake/data.py data/wake/slow --shards 24 --kind slow
  Validation only (train.py --validation data/wake/validation; indices past the training folder's, so seeds are new):
  /usr/bin/python3 tools/train/wake/data.py data/wake/validation --first 24 --shards 12 --kind speech
      and likewise --first 40 --shards 16 (shard), --first 20 --shards 16 --kind varied, --first 16 --shards 16 for
      near, edits and phonetic, --first 24 --shards 8 --kind gnuspeech, --first 16 --shards 8 --kind gnunear

All of the above, the features and data/wake/train-all in one resumable run: `bash tools/train/wake/rebuild.sh`.

Reproducible in what is said by whom (texts, speakers, positions), not byte for byte: GnuSpeech's output varies a little
from run to run (clip lengths within a few percent), and the stored 'shard' shards were made by an earlier data.py.
"""
import argparse
import functools
import json
import os
import random
import re
import shutil
import sys
import zlib
import subprocess
import tempfile
from multiprocessing import Pool
from typing import Callable

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..'))
from asr.data import SAMPLE_RATE, coloured_noise, noise_and_gain, read_wav, resample, reverb_and_band, speak  # noqa: E402
from asr.text import sentence  # noqa: E402
import neighbours  # noqa: E402

ACCENTS = ['en-us', 'en-gb', 'en-gb-scotland', 'en-gb-x-rp', 'en-029', 'en-us-nyc', 'en-gb-x-gbclan', 'en-gb-x-gbcwmd']
EVAL_VARIANTS = {'', 'f1', 'f2', 'f3', 'f4', 'm1', 'm3', 'm5'}
TRAIN_VARIANTS = ['m2', 'm4', 'm6', 'm7', 'f5', 'klatt', 'klatt2', 'klatt3', 'Andy', 'Annie', 'benjamin', 'david', 'ed', 'linda',
                  'steph', 'john', 'paul', 'robert', 'shelby', 'victor', 'grandma', 'grandpa', 'adam', 'Alicia', 'caleb', 'edward',
                  'iven', 'zac', 'norbert', 'Mike', 'Lee', 'Gene', 'Jacky', 'Michael', 'Denis', 'max', 'quincy', 'aunty', 'belinda']
FLITE = ['kal16', 'awb', 'rms', 'kal']
assert not EVAL_VARIANTS & set(TRAIN_VARIANTS)

# How people say the wake words here; punctuation changes the synthesisers' prosody.
WAKE = {
    'alexa': ['alexa', 'alexa!', 'alexa?', 'alexa,', 'Alexa.'],
    'hey_jarvis': ['hey jarvis', 'hey jarvis!', 'hey, jarvis', 'hey jarvis?', 'hey jarvis.'],
    # espeak-ng says "mycroft" as "MICK-roft"; spelt as said (as the evaluation does).
    'hey_mycroft': ['hey my croft', 'hey my croft!', 'hey, my croft', 'hey my croft?', 'hey mycroft'],
    'hey_rhasspy': ['hey rhasspy', 'hey rhasspy!', 'hey, rhasspy', 'hey rhasspy?', 'hey rhasspy.'],
}
# Phrases close to a wake word that must not wake it (others than the evaluation's, see below).
NEAR = {
    'alexa': ['alexander', 'a lexus', 'alaska', 'elixir', 'relax a little', 'alexia', 'alex and me', 'selector', 'dyslexia',
              'hey lexi', 'alec', 'a lecture', 'lexical', 'ale and soda', 'alessa', 'alexei', 'electra', 'alexandra', 'the lexus',
              'relaxer', 'elector', 'a legs up'],
    'hey_jarvis': ['hey jarv', 'hey jarred', 'hey garvis', 'hey marvin', 'hey jealous', 'harvey', 'hey charles', 'jar of this',
                   'hey davis', 'hey jar', 'nervous', 'hey jack', 'hey artist', 'hey jervis', 'hey carvis', 'hey jarvo', 'hey java',
                   'hey jazz', 'hey jarrah', 'hey marvis', 'hey chavez', 'hey jar it is'],
    'hey_mycroft': ['hey my crow', 'hey micro', 'my croquet', 'hey my cross', 'microwave', 'my crowd', 'hey michael', 'my soft',
                    'hey my cough', 'my clock', 'hey mighty', 'hey my car', 'croft', 'my cropped hair', 'hey my crew',
                    'hey my crowbar', 'hey microchip', 'hey my draft', 'hey my loft', 'hey my crumb', 'hey my cruise'],
    'hey_rhasspy': ['hey rasp', 'hey rosie', 'raspberry pie', 'hey crispy', 'hey russ', 'hey rapid', 'hey racy', 'hey hasty',
                    'hey wassup', 'rhasp', 'hey ras', 'wispy', 'hey spy', 'hey rasta', 'hey gasp', 'hey rispy', 'hey wisp',
                    'hey rassy', 'hey roster', 'hey rasper'],
}
OTHER_CALLS = ['hey siri', 'okay google', 'hey google', 'hey there', 'hey mum', 'hey you', 'hello computer', 'hey buddy', 'hi there',
               'excuse me', 'hey kids', 'hey dad', 'computer', 'okay then', 'hey listen']


def eval_phrases() -> set[str]:
    """The evaluation's near-miss phrases (tools/wake-data/text.ts), which training must not use."""
    src = open(os.path.join(HERE, '..', '..', 'wake-data', 'text.ts')).read()
    block = src[src.index('NEAR_MISSES'):]
    return set(re.findall(r"'([^']+)'", block))


Say = Callable[[str], np.ndarray]


GNUSPEECH_JS = os.path.join(HERE, '..', '..', '..', 'dist', 'tools', 'train', 'wake', 'gnuspeech.js')


@functools.cache
def gnuspeech_server() -> subprocess.Popen:
    """One GnuSpeech process per worker (its WASM takes a while to start; a clip takes tens of milliseconds)."""
    if not os.path.exists(GNUSPEECH_JS):
        sys.exit(f'{GNUSPEECH_JS} is missing: run "npm run build" first')
    return subprocess.Popen(['node', GNUSPEECH_JS], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def gnuspeech_voice(r: random.Random) -> tuple[Say, str]:
    """A GnuSpeech speaker drawn at random: vocal tract from a child's 12.5 cm to a tall man's 18.5 cm, the glottal
    pitch following it (GnuSpeech's man -12 semitones at 17.5 cm, woman 0 at 15 cm, child +7.5 at 7.5 cm) give or take
    3 semitones, its own pulse shape, breathiness, tract shape (each section's radius x 0.88-1.12) and speed."""
    tract = r.uniform(12.5, 18.5)
    v = {'vocalTractLengthCm': tract, 'glottalPitchSemitones': -4.8 * (tract - 15) + r.uniform(-3, 3),
         'pulseRisePercent': r.uniform(32, 48), 'pulseFallPercent': r.uniform(18, 36), 'breathinessPercent': r.uniform(0.3, 4),
         'radiusCoefs': [r.uniform(0.88, 1.12) for _ in range(8)], 'tempo': r.uniform(0.75, 1.3), 'pitchOffsetSemitones': r.uniform(-3, 3)}

    def say(text: str) -> np.ndarray:
        with tempfile.NamedTemporaryFile(suffix='.wav') as f:
            server = gnuspeech_server()
            server.stdin.write(json.dumps({'text': text, 'out': f.name, 'voice': v}) + '\n')
            server.stdin.flush()
            answer = server.stdout.readline().strip()
            if answer != 'ok':
                raise RuntimeError(f'gnuspeech: {answer or "no answer"} for {text!r}')
            return read_wav(f.read())
    return say, f'gnuspeech-t{tract:.1f}-p{v["glottalPitchSemitones"]:.0f}'


def pitch_shift(x: np.ndarray, cents: float) -> np.ndarray:
    """x with its whole spectrum (pitch and formants) moved by `cents`, its length kept (sox pitch: WSOLA, then resampling)."""
    pcm = np.clip(np.round(x), -32768, 32767).astype('<i2').tobytes()
    raw = ['-t', 'raw', '-r', str(SAMPLE_RATE), '-e', 'signed', '-b', '16', '-c', '1']
    out = subprocess.run(['sox', *raw, '-', *raw, '-', 'pitch', f'{cents:.0f}'], input=pcm, capture_output=True, check=True).stdout
    return np.frombuffer(out, dtype='<i2').astype(np.float32)


def voice(r: random.Random, varied: bool = False, gnu: bool = False, home: str | None = None, espeak: bool = False,
          shift: bool = False, slow: bool = False) -> tuple[Say, str]:
    """A training voice: how it says a text, and its name.

    varied: speakers further from the others. The flite training voices are all men and the evaluation's
    unseen speaker (slt) is a woman, so: flite kal, kal16 or awb at another mean pitch (90-260 Hz), and any
    voice with its vocal tract scaled (formants x 0.85-1.25, the duration kept), as VTLP does for ASR.
    gnu: a GnuSpeech speaker of its own (gnuspeech_voice).
    home: an espeak-ng speaker of its own (espeak_speaker), its variant written under this espeak-ng data folder.
    espeak: an espeak-ng training variant, never flite (for texts in espeak-ng's phoneme input, [[...]]).
    shift: a plain voice with its whole spectrum moved by -600 to +700 cents. Why: hey_jarvis's classifier found flite
    awb's "hey jarvis" (0.98) but not the same clip 300 cents higher (0.07), and the unseen slt only 600 cents lower
    (docs/results/wake-synthetic.md, 2026-12-03 fourth session); the varied voices reach only about +390 cents.
    slow: a plain voice speaking slowly: espeak-ng at 80-130 words a minute (plain: 110-220), flite stretched 1.3-2.0
    times (plain: 0.75-1.35). Why: on set 7 every word's classifier missed flite awb, rms or kal16 at 1.62 times their
    length and found the same voices at 1.35 (docs/results/wake-synthetic.md, 2026-12-03 fifth session); people also say a wake
    word slowly to a device that did not hear them.
    """
    if shift:
        say, name = voice(r)
        cents = r.uniform(-600, 700)
        return (lambda text: pitch_shift(say(text), cents)), f'{name}-c{cents:+.0f}'
    if gnu:
        return gnuspeech_voice(r)
    if home:
        return espeak_speaker(r, home)
    if slow or not varied:
        # espeak-ng words a minute, flite length stretch, and how often espeak-ng speaks (else flite).
        (wpm_from, wpm_to), (stretch_from, stretch_to), p_espeak = ((80, 130), (1.3, 2.0), 0.5) if slow else ((110, 220), (0.75, 1.35), 0.65)
        if espeak or r.random() < p_espeak:
            name, params = f'{r.choice(ACCENTS)}+{r.choice(TRAIN_VARIANTS)}', {'speed': r.randint(wpm_from, wpm_to), 'pitch': r.randint(15, 85)}
            return (lambda text: speak('espeak', name, text, **params)), f'espeak-{name}' + (f'-s{params["speed"]}' if slow else '')
        name, stretch = r.choice(FLITE), r.uniform(stretch_from, stretch_to)
        return (lambda text: speak('flite', name, text, stretch=stretch)), f'flite-{name}' + (f'-d{stretch:.2f}' if slow else '')
    alpha = r.uniform(0.85, 1.25)
    if r.random() < 0.4:
        espeak, speed, pitch = f'{r.choice(ACCENTS)}+{r.choice(TRAIN_VARIANTS)}', r.randint(110, 220), r.randint(0, 99)
        base: Say = lambda text: speak('espeak', espeak, text, speed=round(speed / alpha), pitch=pitch)  # noqa: E731
        name = f'espeak-{espeak}'
    else:
        flite, stretch, f0 = r.choice(['kal16', 'awb', 'kal']), r.uniform(0.75, 1.35), r.uniform(90, 260)
        base = lambda text: speak('flite', flite, text, stretch=stretch * alpha, f0_hz=f0)  # noqa: E731
        name = f'flite-{flite}-f{f0:.0f}'
    # Spoken alpha times slower, then played alpha times faster: pitch and formants x alpha, same length.
    return (lambda text: resample(base(text), SAMPLE_RATE * alpha, SAMPLE_RATE)), f'{name}-vt{alpha:.2f}'


def espeak_home(out: str) -> str:
    """A copy of the system's espeak-ng data under out/espeak (made once, 13 MB, by main() before the workers start),
    where espeak_speaker writes variants."""
    home = os.path.join(out, 'espeak')
    if not os.path.exists(os.path.join(home, 'espeak-ng-data')):
        tmp = os.path.join(home, 'espeak-ng-data.tmp')
        shutil.rmtree(tmp, ignore_errors=True)  # left by a stopped run
        system = re.search(r'Data at: (\S+)', subprocess.run(['espeak-ng', '--version'], capture_output=True, text=True, check=True).stdout)
        shutil.copytree(system.group(1), tmp)
        os.replace(tmp, os.path.join(home, 'espeak-ng-data'))
    variants = os.path.join(home, 'espeak-ng-data', 'voices', '!v')
    for old in os.listdir(variants):
        if old.startswith('hearth-worker') and not os.path.exists(f'/proc/{old[13:]}'):  # a finished run's slot
            os.remove(os.path.join(variants, old))
    return home


def espeak_speaker(r: random.Random, home: str) -> tuple[Say, str]:
    """An espeak-ng speaker of its own, as GnuSpeech's are: a variant file (espeak-ng's voices/!v format) with all formants
    scaled by one factor for the vocal tract (0.88, a long male tract, to 1.25, a child's) give or take 6% each, their
    heights and widths, a pitch that follows the tract, flutter and roughness drawn at random; a quarter of them on
    espeak-ng's Klatt synthesiser. espeak-ng's own variants (f1-f5, m1-m8, ...) are a dozen fixed speakers, and the
    evaluation's false accepts were said by variants no training clip used."""
    scale = r.uniform(0.88, 1.25)
    base = 60 + (scale - 0.88) / 0.37 * 130 + r.uniform(-20, 20)
    lines = ['language variant', f'gender {"female" if scale > 1.05 else "male"}', f'pitch {base:.0f} {base + r.uniform(30, 110):.0f}',
             f'flutter {r.randint(0, 12)}', f'roughness {r.randint(0, 5)}']
    lines += [f'formant {k} {100 * scale * r.uniform(0.94, 1.06):.0f} {r.randint(70, 100)} {r.randint(90, 180)}' for k in range(9)]
    if r.random() < 0.25:
        lines.append(f'klatt {r.randint(1, 4)}')
    name = f'hearth{r.getrandbits(32):08x}'
    # espeak-ng lists at most 350 voices, so not a file per speaker: each worker process rewrites its own variant file
    # before every call (a clip's calls are never interleaved with another speaker's in one process).
    slot = f'hearth-worker{os.getpid()}'
    text_of_variant = '\n'.join([lines[0], f'name {slot}', *lines[1:]]) + '\n'
    accent, speed = r.choice(ACCENTS), r.randint(110, 220)

    def say(text: str) -> np.ndarray:
        with open(os.path.join(home, 'espeak-ng-data', 'voices', '!v', slot), 'w') as f:
            f.write(text_of_variant)
        return speak('espeak', f'{accent}+{slot}', text, speed=speed, espeak_path=home)
    return say, f'espeak-{accent}+{name}-s{scale:.2f}'


VOWELS = 'aeiouy'
CONSONANTS = 'bcdfghjklmnprstvwz'
# Each wake phrase as a greeting and a name: the edits change the name, or drop the greeting.
PHRASE = {'alexa': ('', 'alexa'), 'hey_jarvis': ('hey', 'jarvis'), 'hey_mycroft': ('hey', 'my croft'), 'hey_rhasspy': ('hey', 'rhasspy')}


@functools.cache
def edit_neighbours(word: str) -> list[str]:
    """Phrases one edit away from the wake phrase (openWakeWord trains on such adversarial texts too): one
    letter of the name changed to another of its kind, one dropped, the name cut short, or the name without
    its greeting. Kept only when no accent says them as a wake phrase (said_as_wake), and when no evaluation
    near-miss contains them or is contained in them (they may still sound alike)."""
    greet, name = PHRASE[word]
    names = set()
    for i, ch in enumerate(name):
        if ch == ' ':
            continue
        for other in VOWELS if ch in VOWELS else CONSONANTS:
            if other != ch:
                names.add(name[:i] + other + name[i + 1:])
        names.add(name[:i] + name[i + 1:])
    names |= {name[:k] for k in range(3, len(name))}
    texts = {f'{greet} {n}'.strip() for n in names if n.strip()}
    if greet:
        texts.add(name)
    banned = eval_phrases()
    kept = sorted(t for t in texts if not any(b in t or t in b for b in banned))
    homophones = said_as_wake(kept)
    return [t for t in kept if t not in homophones]


PHONEME_EDITS_PER_WORD = 400


@functools.cache
def phoneme_neighbours(out: str) -> dict[str, list[str]]:
    """Phoneme edits of each wake word's names (neighbours.phoneme_edits), kept in out/phonemes.json."""
    return neighbours.kept(os.path.join(out, 'phonemes.json'),
                           lambda: without_homophones(neighbours.phoneme_edits(WAKE, eval_phrases(), ACCENTS, PHONEME_EDITS_PER_WORD)))


@functools.cache
def prefix_neighbours(out: str) -> dict[str, list[str]]:
    """Phrases that start as a wake word's name and go on ("a lexical", neighbours.prefixes), none said as a wake phrase,
    kept in out/prefixes.json."""
    return neighbours.kept(os.path.join(out, 'prefixes.json'), lambda: without_homophones(neighbours.prefixes(eval_phrases())))


@functools.cache
def phonetic_neighbours(out: str) -> dict[str, list[str]]:
    """Dictionary words said almost as a wake word's name (neighbours.py), as phrases, none said as a wake phrase
    (without_homophones), kept in out/neighbours.json."""
    return neighbours.kept(os.path.join(out, 'neighbours.json'), lambda: without_homophones(neighbours.find(eval_phrases())))


def said_as_wake(texts: list[str]) -> dict[str, set[str]]:
    """The texts that some training accent says exactly as it says a wake phrase (neighbours.ipa), with the words they
    are said as. Such a text is no near-miss: a listener with that accent hears the wake word. The searches above first
    compared espeak-ng's phoneme names in en-us only, and en-us says "hey rhaspy" (r'aa) with the same bytes of audio
    as "hey rhasspy" (r'a), en-gb "hey jahvis" as "hey jarvis": the shards of 2026-12-03 hold such clips as negatives
    (train.load leaves them out of the words they are said as)."""
    out: dict[str, set[str]] = {}
    for accent in ACCENTS:
        wake = {w: set(neighbours.ipa(ts, accent)) for w, ts in WAKE.items()}
        for t, p in zip(texts, neighbours.ipa(texts, accent)):
            for w, said in wake.items():
                if p in said:
                    out.setdefault(t, set()).add(w)
    return out


def without_homophones(found: dict[str, list[str]]) -> dict[str, list[str]]:
    """found (near-miss phrases per word) less those some accent says as a wake phrase (said_as_wake)."""
    homophones = said_as_wake(sorted({t for ts in found.values() for t in ts}))
    return {w: [t for t in ts if t not in homophones] for w, ts in found.items()}


def trim(x: np.ndarray) -> np.ndarray:
    """The spoken part of a synthesised clip: from the first to the last 10 ms over -40 dB of its peak."""
    frames = len(x) // 160
    if frames == 0:
        return x
    e = np.sqrt(np.mean(x[: frames * 160].reshape(frames, 160) ** 2, axis=1))
    on = np.nonzero(e > e.max() * 0.01)[0]
    return x[on[0] * 160: (on[-1] + 1) * 160]


def silence(r: random.Random, lo: float, hi: float) -> np.ndarray:
    return np.zeros(int(r.uniform(lo, hi) * SAMPLE_RATE), np.float32)


def positive(word: str, r: random.Random, g: np.random.Generator, **speaker: bool | str | None) -> tuple[np.ndarray, int, int, str]:
    """A clip with the wake word said once, sometimes after other speech and mostly before a command (speaker: voice()'s
    choices)."""
    say, name = voice(r, **speaker)
    rate = r.uniform(0.9, 1.1) if r.random() < 0.5 else 1.0
    speed = lambda x: resample(x, SAMPLE_RATE * rate, SAMPLE_RATE)  # noqa: E731
    parts = [silence(r, 0.3, 1.2)]
    if r.random() < 0.25:
        parts += [speed(trim(say(sentence(r)))), silence(r, 0.15, 0.8)]
    start = sum(len(p) for p in parts)
    wake = speed(trim(say(r.choice(WAKE[word]))))
    parts.append(wake)
    end = start + len(wake)
    if r.random() < 0.6:
        parts += [silence(r, 0.0, 0.4), speed(trim(say(sentence(r))))]
    parts.append(silence(r, 0.3, 1.0))
    x = reverb_and_band(np.concatenate(parts), r, g)
    return noise_and_gain(x, r, g, None), start, end, name


def negative(text: str, r: random.Random, g: np.random.Generator, babble: np.ndarray | None, **speaker: bool | str | None) -> tuple[np.ndarray, str]:
    say, name = voice(r, **speaker)
    x = trim(say(text))
    if r.random() < 0.5:
        x = resample(x, SAMPLE_RATE * r.uniform(0.9, 1.1), SAMPLE_RATE)
    x = np.concatenate([silence(r, 0.2, 0.8), x, silence(r, 0.2, 0.8)])
    return noise_and_gain(reverb_and_band(x, r, g), r, g, babble), name


def non_speech(r: random.Random, g: np.random.Generator) -> np.ndarray:
    """A few seconds of noise or of a tone melody (a kettle, a fan, a radio without words)."""
    n = int(r.uniform(3, 8) * SAMPLE_RATE)
    if r.random() < 0.5:
        return coloured_noise(n, g) * 10 ** (r.uniform(40, 75) / 20)
    t = np.arange(n) / SAMPLE_RATE
    note = r.uniform(0.12, 0.5)
    freqs = np.array([r.choice([196, 220, 247, 262, 294, 330, 349, 392, 440, 494, 523, 587]) for _ in range(int(n / SAMPLE_RATE / note) + 1)])
    f = freqs[(t / note).astype(int)]
    env = np.exp(-((t % note) / note) * r.uniform(1, 5))
    x = (np.sin(2 * np.pi * f * t) + 0.4 * np.sin(4 * np.pi * f * t) + 0.2 * np.sin(6 * np.pi * f * t)) * env
    return (x * 10 ** (r.uniform(60, 80) / 20)).astype(np.float32)


# Per kind: near-miss clips, positives and everyday sentences per wake word, as multiples of --per-word.
MIX = {'shard': (0.5, 1, 2), 'near': (3, 0.5, 0), 'speech': (0, 0, 8), 'varied': (0.5, 1, 2), 'edits': (3, 0.5, 0),
       'gnuspeech': (1, 1, 2), 'gnunear': (3, 0.5, 0), 'phonetic': (3, 0.5, 0), 'speakers': (1, 1, 2), 'phonemes': (3, 0.5, 0), 'shifted': (1, 1, 2),
       'prefixes': (3, 0.5, 0), 'slow': (1, 1, 2)}
# Kinds whose every clip is by a plain voice said in one way (voice()'s flag for it), near-misses from NEAR and the edits.
STYLE = {'shifted': {'shift': True}, 'slow': {'slow': True}}
# Kinds of near-miss clips and no everyday speech: their density is far above a home's, so train.py judges their
# near-miss clips per clip (how many fire), not per hour.
NEAR_KINDS = tuple(k for k, (near, _, speech) in MIX.items() if near and not speech)


def make_shard(job: tuple[str, str, int, int]) -> str:
    """kind 'shard': the mix; 'near': mostly near-misses (what the classifiers find hardest), some positives;
    'speech': only speech without a wake word (an hour of negatives is little next to the thousands openWakeWord uses);
    'varied': the mix, by the varied voices; 'edits': mostly generated one-edit near-misses (edit_neighbours), half
    of them and all positives by the varied voices; 'gnuspeech': the mix with near-misses from both lists, every clip by a
    GnuSpeech speaker of its own; 'gnunear': as 'near' and 'edits' together (near-misses from both lists, some
    positives), every clip by a GnuSpeech speaker; 'phonetic': mostly phonetic neighbours (neighbours.py), some positives,
    each clip by a plain, a varied or a GnuSpeech speaker (a third each); 'speakers': the mix with near-misses from all
    three lists, every clip by an espeak-ng speaker of its own (espeak_speaker); 'phonemes': mostly phoneme edits of the
    names (neighbours.phoneme_edits, said through espeak-ng's phoneme input), some positives, each clip by an espeak-ng
    training variant or an espeak-ng speaker of its own (half each); 'prefixes': as 'phonetic' with phrases that start as
    a name and go on (neighbours.prefixes: "a lexical"); 'shifted': the mix with near-misses from both
    lists, every clip by a plain voice with its spectrum moved by -600 to +700 cents (voice(shift=True)); 'slow': the same
    with every clip said slowly (voice(slow=True))."""
    kind, out, index, per_word = job
    path = os.path.join(out, f'{kind}-{index:04d}')
    if os.path.exists(path + '.json'):
        return f'{path} kept'
    seed = f'wake-{index}' if kind == 'shard' else f'wake-{kind}-{index}'  # 'shard' keeps the seeds of the first run
    r = random.Random(seed)
    g = np.random.default_rng(zlib.crc32(seed.encode()))
    near, positives, speech = (int(per_word * m) for m in MIX[kind])
    varied = kind in ('varied', 'edits')
    gnu = kind in ('gnuspeech', 'gnunear')
    home = espeak_home(out) if kind in ('speakers', 'phonemes') else None
    clips: list[tuple[np.ndarray, dict]] = []
    babble = None

    def speaker() -> dict:
        """voice()'s choices for the next clip: 'phonetic' draws a plain, a varied or a GnuSpeech speaker for each,
        'phonemes' an espeak-ng variant or a speaker of its own."""
        if kind in ('phonetic', 'prefixes'):
            v, gn = [(False, False), (True, False), (False, True)][r.randrange(3)]
            return {'varied': v, 'gnu': gn}
        if kind == 'phonemes':
            return {'espeak': True, 'home': home if r.random() < 0.5 else None}
        if kind in STYLE:
            return STYLE[kind]
        return {'varied': varied, 'gnu': gnu, 'home': home}

    def near_miss(word: str) -> tuple[str, dict]:
        """A near-miss text for word and voice()'s choices for its speaker."""
        if kind == 'phonetic':
            return r.choice(phonetic_neighbours(out)[word]), speaker()
        if kind == 'prefixes':
            return r.choice(prefix_neighbours(out)[word]), speaker()
        if kind == 'phonemes':
            return r.choice(phoneme_neighbours(out)[word]), speaker()
        if kind == 'speakers':
            return r.choice([NEAR[word], edit_neighbours(word), phonetic_neighbours(out)[word]][r.randrange(3)]), {'home': home}
        if kind in STYLE:
            return r.choice(NEAR[word] if r.random() < 0.5 else edit_neighbours(word)), STYLE[kind]
        edits = kind == 'edits' or (gnu and r.random() < 0.5)
        return r.choice(edit_neighbours(word) if edits else NEAR[word]), {'varied': kind == 'varied' or (kind == 'edits' and r.random() < 0.5), 'gnu': gnu}

    for word in WAKE:
        for _ in range(positives):
            x, s, e, v = positive(word, r, g, **speaker())
            clips.append((x, {'kind': 'positive', 'word': word, 'set': 'wake', 'voice': v, 'wakeStart': s, 'wakeEnd': e}))
        for _ in range(near):
            text, who = near_miss(word)
            x, v = negative(text, r, g, None, **who)
            clips.append((x, {'kind': 'negative', 'set': 'nearmiss', 'voice': v, 'text': text}))
    for _ in range(speech):
        x, v = negative(sentence(r), r, g, babble, varied=kind == 'varied', gnu=gnu, home=home, **STYLE.get(kind, {}))
        babble = x
        clips.append((x, {'kind': 'negative', 'set': 'speech', 'voice': v}))
    for _ in range(per_word // 3):
        x, v = negative(r.choice(OTHER_CALLS), r, g, None, **speaker())
        clips.append((x, {'kind': 'negative', 'set': 'calls', 'voice': v}))
    for _ in range(3):
        clips.append((non_speech(r, g), {'kind': 'negative', 'set': 'noise', 'voice': 'synthetic'}))
    r.shuffle(clips)
    stream, labels, at = [], [], 0
    for x, label in clips:
        label = {'start': at, 'samples': len(x), **label}
        if 'wakeStart' in label:
            label['wakeStart'] += at
            label['wakeEnd'] += at
        labels.append(label)
        stream.append(np.clip(np.round(x), -32768, 32767).astype('<i2'))
        at += len(x)
    np.concatenate(stream).tofile(path + '.pcm')
    with open(path + '.json.tmp', 'w') as f:
        json.dump({'sampleRateHz': SAMPLE_RATE, 'clips': labels}, f)
    os.replace(path + '.json.tmp', path + '.json')  # the .json marks a finished shard
    return f'{path} {at / SAMPLE_RATE / 60:.1f} min'


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument('out')
    p.add_argument('--shards', type=int, default=40)
    p.add_argument('--first', type=int, default=0, help='index of the first shard: more shards of a kind get seeds of their own')
    p.add_argument('--kind', choices=sorted(MIX), default='shard')
    p.add_argument('--per-word', type=int, default=24, help='positives per wake word per shard')
    p.add_argument('--workers', type=int, default=2)
    a = p.parse_args()
    clash = eval_phrases() & {t for ts in NEAR.values() for t in ts}
    if clash:
        sys.exit(f'training near-misses also in the evaluation (tools/wake-data/text.ts): {sorted(clash)}')
    os.makedirs(a.out, exist_ok=True)
    if a.kind in ('phonetic', 'speakers'):  # found once here, not in each worker
        print(', '.join(f'{w}: {len(t)} phonetic neighbours' for w, t in phonetic_neighbours(a.out).items()), flush=True)
    if a.kind == 'prefixes':
        print(', '.join(f'{w}: {len(t)} prefix neighbours' for w, t in prefix_neighbours(a.out).items()), flush=True)
    if a.kind == 'phonemes':
        print(', '.join(f'{w}: {len(t)} phoneme edits' for w, t in phoneme_neighbours(a.out).items()), flush=True)
    if a.kind in ('speakers', 'phonemes'):
        espeak_home(a.out)
    with Pool(a.workers) as pool:
        for line in pool.imap_unordered(make_shard, [(a.kind, a.out, i, a.per_word) for i in range(a.first, a.first + a.shards)]):
            print(line, flush=True)


if __name__ == '__main__':
    main()
