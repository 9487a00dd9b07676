"""Phonetic neighbours of the wake words: dictionary words that espeak-ng says almost as it says the wake word's name.

openWakeWord trains on such adversarial texts (found with CMUdict); here the dictionary is Debian's wamerican
(/usr/share/dict/words, `apt-get install wamerican`) and the pronunciations are espeak-ng's own, so a neighbour is close
in the phonemes the training voices will actually say. Letter edits (data.py edit_neighbours) find spellings near the
name; these find words near its sound ("raspy", "crafty", "plexus"), which the false accepts left were
("hey jarvie", "hey my crop": wake-eval-results.md).

The distance is a Levenshtein distance over espeak-ng phonemes (stress dropped) where a vowel for a vowel costs 0.5,
a consonant for a consonant 0.75, a vowel for a consonant 1.5 and an insertion or deletion 1: a word is a neighbour
within 2.0. Computing the phonemes of 70 000 words takes espeak-ng about 45 s, so the result is kept in a JSON file
next to the shards.
"""
import json
import os
import re
import subprocess

DICTIONARY = '/usr/share/dict/words'
MAX_DISTANCE = 2.0
# The part of each wake phrase whose neighbours are looked for, and how a neighbour is said in its place.
NAMES = {
    'alexa': [('alexa', '{}')],
    'hey_jarvis': [('jarvis', 'hey {}')],
    'hey_mycroft': [('croft', 'hey my {}'), ('mycroft', 'hey {}')],
    'hey_rhasspy': [('rhasspy', 'hey {}')],
}


def phoneme_lists(texts: list[str]) -> list[tuple[str, ...]]:
    """espeak-ng's phonemes for each text, stress and syllable marks dropped, in one espeak-ng run. espeak-ng writes a
    line per clause, so clause punctuation ("hey, jarvis") is read as a pause-free space to keep a line per text."""
    clean = [re.sub(r'[,.!?;:]', ' ', t) for t in texts]
    out = subprocess.run(['espeak-ng', '-q', '-x', '--sep=_', '-v', 'en-us'], input='\n'.join(clean) + '\n', capture_output=True,
                         text=True, check=True).stdout.split('\n')[:-1]
    if len(out) != len(texts):
        raise RuntimeError(f'espeak-ng gave {len(out)} phoneme lines for {len(texts)} texts')
    return [tuple(p for p in re.sub(r"[',%=]", '', line.strip()).split('_') if p) for line in out]


def is_vowel(p: str) -> bool:
    return p[0] in 'aeiouAEIOU@3V0'


def distance(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    prev = [float(j) for j in range(len(b) + 1)]
    for i, x in enumerate(a, 1):
        cur = [float(i)]
        for j, y in enumerate(b, 1):
            sub = 0.0 if x == y else 0.5 if is_vowel(x) and is_vowel(y) else 0.75 if not is_vowel(x) and not is_vowel(y) else 1.5
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + sub))
        prev = cur
    return prev[-1]


def find(banned: set[str], said: dict[str, set[tuple[str, ...]]]) -> dict[str, list[str]]:
    """Per wake word, the phrases made from its names' neighbours, leaving out any that contains or is contained in a
    banned phrase (the evaluation's near-misses) and any said exactly as the wake phrase is."""
    if not os.path.exists(DICTIONARY):
        raise SystemExit(f'{DICTIONARY} is missing: apt-get install wamerican')
    words = sorted({w.strip().lower() for w in open(DICTIONARY) if re.fullmatch(r'[A-Za-z]+', w.strip())})
    phones = dict(zip(words, phoneme_lists(words)))
    out = {}
    for word, names in NAMES.items():
        texts = set()
        for name, form in names:
            target = phoneme_lists([name])[0]
            texts |= {form.format(w) for w, p in phones.items()
                      if w != name and abs(len(p) - len(target)) <= 2 and distance(target, p) <= MAX_DISTANCE}
        kept = sorted(t for t in texts if not any(b in t or t in b for b in banned))
        wake = said[word]
        out[word] = [t for t, p in zip(kept, phoneme_lists(kept)) if p not in wake]
    return out


def load_or_find(path: str, banned: set[str], said: dict[str, set[tuple[str, ...]]]) -> dict[str, list[str]]:
    """The neighbours kept at path, found (and written there) the first time."""
    if os.path.exists(path):
        return json.load(open(path))
    found = find(banned, said)
    with open(path + '.tmp', 'w') as f:
        json.dump(found, f, indent=1)
    os.replace(path + '.tmp', path)
    return found
