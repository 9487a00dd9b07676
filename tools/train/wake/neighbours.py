"""Phonetic neighbours of the wake words: dictionary words that espeak-ng says almost as it says the wake word's name.

openWakeWord trains on such adversarial texts (found with CMUdict); here the dictionary is Debian's wamerican
(/usr/share/dict/words, `apt-get install wamerican`) and the pronunciations are espeak-ng's own, so a neighbour is close
in the phonemes the training voices will actually say. Letter edits (data.py edit_neighbours) find spellings near the
name; these find words near its sound ("raspy", "crafty", "plexus"), which the false accepts left were
("hey jarvie", "hey my crop": docs/results/wake-synthetic.md).

The distance is a Levenshtein distance over espeak-ng phonemes (stress dropped) where a vowel for a vowel costs 0.5,
a consonant for a consonant 0.75, a vowel for a consonant 1.5 and an insertion or deletion 1: a word is a neighbour
within 2.0. Computing the phonemes of 70 000 words takes espeak-ng about 45 s, so the result is kept in a JSON file
next to the shards.
"""
import functools
import json
import os
import random
import re
import subprocess
from typing import Callable

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


@functools.cache
def dictionary() -> dict[str, tuple[str, ...]]:
    """Every plain word of the dictionary with its espeak-ng phonemes (en-us), lower case."""
    if not os.path.exists(DICTIONARY):
        raise SystemExit(f'{DICTIONARY} is missing: apt-get install wamerican')
    words = sorted({w.strip().lower() for w in open(DICTIONARY) if re.fullmatch(r'[A-Za-z]+', w.strip())})
    return dict(zip(words, phoneme_lists(words)))


def find(banned: set[str]) -> dict[str, list[str]]:
    """Per wake word, the phrases made from its names' neighbours, leaving out any that contains or is contained in a
    banned phrase (the evaluation's near-misses). Those said as a wake phrase are left out by the caller, which knows
    the accents (data.without_homophones)."""
    phones = dictionary()
    out = {}
    for word, names in NAMES.items():
        texts = set()
        for name, form in names:
            target = phoneme_lists([name])[0]
            texts |= {form.format(w) for w, p in phones.items()
                      if w != name and abs(len(p) - len(target)) <= 2 and distance(target, p) <= MAX_DISTANCE}
        out[word] = sorted(t for t in texts if not any(b in t or t in b for b in banned))
    return out


# A prefix neighbour starts within this distance of the name (two vowels, or a consonant and a vowel) and says at
# least this many phonemes more.
PREFIX_DISTANCE = 1.25
PREFIX_MORE = 2


def prefixes(banned: set[str]) -> dict[str, list[str]]:
    """Per wake word, phrases that begin as one of its names is said and then go on: "a lexical" for alexa, "hey
    my crystal" for hey_mycroft. Why: find's neighbours are about as long as the name, but the false accepts left were
    of this other shape ("a lexicon" for alexa, 4 of its 21 evaluation clips: docs/results/wake-synthetic.md); the classifier
    fires 120-400 ms after the name, so it must learn that a word going on past it is not the name. A name that starts
    with a vowel is also looked for after "a" (said unstressed, as that vowel often is).
    Kept apart from the evaluation more strictly than find: a phrase is left out when it shares a word of four letters or
    more with an evaluation near-miss (banned), so "the lexicon" is not trained on either."""
    phones = dictionary()
    article = said(['a cat'])[0][:-len(said(['cat'])[0])]  # espeak-ng's unstressed "a" before a word
    banned_words = {w for b in banned for w in re.findall(r'[a-z]+', b.lower()) if len(w) >= 4}
    out = {}
    for word, names in NAMES.items():
        texts = set()
        for name, form in names:
            target = phoneme_lists([name])[0]
            starts = [('', ())] + ([('a ', article)] if is_vowel(target[0]) else [])
            for w, p in phones.items():
                if w == name or w in banned_words:
                    continue
                for lead, lead_phones in starts:
                    whole = lead_phones + p
                    if any(len(whole) >= k + PREFIX_MORE and distance(target, whole[:k]) <= PREFIX_DISTANCE
                           for k in (len(target), len(target) + 1)):
                        texts.add(form.format(lead + w))
        out[word] = sorted(t for t in texts if not any(b in t or t in b for b in banned))
    return out


def kept(path: str, make: Callable[[], dict[str, list[str]]]) -> dict[str, list[str]]:
    """The phrases kept at path, made (and written there, whole or not at all) the first time: so a shard folder's
    near-miss lists stay what its shards were made from."""
    if os.path.exists(path):
        return json.load(open(path))
    found = make()
    with open(path + '.tmp', 'w') as f:
        json.dump(found, f, indent=1)
    os.replace(path + '.tmp', path)
    return found


# espeak-ng's English phonemes (its phoneme input, [[...]]), for neighbours that are not dictionary words.
CONSONANTS = ['p', 'b', 't', 'd', 'k', 'g', 'f', 'v', 'T', 'D', 's', 'z', 'S', 'Z', 'h', 'm', 'n', 'N', 'l', 'r', 'w', 'j', 'tS', 'dZ']
VOWELS = ['a', 'A:', 'A@', '@', '3:', 'E', 'e@', 'I', 'i', 'i:', 'i@', '0', 'O:', 'O2', 'U', 'u:', 'U@', 'V', 'eI', 'aI', 'aU', 'oU', 'OI']
# How each form of NAMES is said before its name, as espeak-ng phonemes.
GREETINGS = {'{}': '', 'hey {}': "h'eI ", 'hey my {}': "h'eI maI "}


def said(lines: list[str], voice: str = 'en-us') -> list[tuple[str, ...]]:
    """espeak-ng's phonemes for each line (text or [[phonemes]]), stress dropped and word breaks ignored: a line
    ending in a full stop is a clause of its own, so espeak-ng writes a line for each (the clause punctuation of a text,
    "hey, jarvis", is read as a space; phoneme input keeps its ':', a long vowel)."""
    clean = [t if t.startswith('[[') else re.sub(r'[,.!?;:]', ' ', t) for t in lines]
    out = subprocess.run(['espeak-ng', '-q', '-x', '--sep=_', '-v', voice], input=''.join(f'{t}.\n' for t in clean), capture_output=True,
                         text=True, check=True).stdout.split('\n')[:-1]
    if len(out) != len(lines):
        raise RuntimeError(f'espeak-ng gave {len(out)} phoneme lines for {len(lines)} texts')
    return [tuple(p for p in re.split(r'[_\s]+', re.sub(r"[',%=]", '', line.strip())) if p) for line in out]


def ipa(lines: list[str], voice: str) -> list[str]:
    """espeak-ng's IPA for each line (text or [[phonemes]]) in one accent, stress and word breaks dropped: what a
    listener with that accent hears. Its phoneme names (said) can differ where the sound does not: en-us says
    "hey rhaspy" (r'aa) with the very bytes of audio of "hey rhasspy" (r'a)."""
    clean = [t if t.startswith('[[') else re.sub(r'[,.!?;:]', ' ', t) for t in lines]
    out = subprocess.run(['espeak-ng', '-q', '--ipa', '-v', voice], input=''.join(f'{t}.\n' for t in clean), capture_output=True,
                         text=True, check=True).stdout.split('\n')[:-1]
    if len(out) != len(lines):
        raise RuntimeError(f'espeak-ng gave {len(out)} IPA lines for {len(lines)} texts ({voice})')
    return [re.sub(r'[\sˈˌ]', '', line) for line in out]


def consonants(p: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(x for x in p if not is_vowel(x))


def random_edit(p: list[str], r: random.Random) -> None:
    """One phoneme of p changed to another of its kind, dropped (unless two or fewer are left: then one is inserted), or
    one inserted (in place)."""
    op, i = r.randrange(3), r.randrange(len(p))
    if op == 0:
        p[i] = r.choice(VOWELS if is_vowel(p[i]) else CONSONANTS)
    elif op == 1 and len(p) > 2:
        del p[i]
    else:
        p.insert(r.randrange(len(p) + 1), r.choice(VOWELS + CONSONANTS))


def stressed_vowel(name: str) -> int:
    """Which of the name's vowels espeak-ng stresses (0: the first)."""
    line = subprocess.run(['espeak-ng', '-q', '-x', '--sep=_', '-v', 'en-us', name], capture_output=True, text=True, check=True).stdout
    vowels = [x for x in re.split(r'[_\s]+', line.strip()) if x and is_vowel(x.lstrip("',%="))]
    return next((i for i, x in enumerate(vowels) if x.startswith("'")), 0)


def spelt(p: list[str], stress: int) -> str:
    """espeak-ng phoneme input for a name, the stress on its stress-th vowel (or its last, if it has fewer)."""
    vowels = [i for i, x in enumerate(p) if is_vowel(x)] or [0]
    v = vowels[min(stress, len(vowels) - 1)]
    return f"{''.join(p[:v])}'{''.join(p[v:])}"


def phoneme_edits(wake: dict[str, list[str]], banned: set[str], accents: list[str], per_word: int, seed: int = 1) -> dict[str, list[str]]:
    """Per wake word, per_word phrases one or two phoneme edits from one of its names (as espeak-ng says it, en-us), said
    through espeak-ng's phoneme input, so that they need not be words: "hey r'Vspi" as well as "hey raspy". Dictionary
    neighbours (find) are few where a name's sounds are rare in English. Kept when, as espeak-ng says them back, they
    are within MAX_DISTANCE of the name and differ from it in a consonant (a vowel alone may be how an accent says the
    wake word), and are said in no accent as a wake phrase or an evaluation near-miss is (banned: the evaluation's
    near-miss texts; find's rule on texts, carried over to sounds; accents: espeak-ng voices said in)."""
    r = random.Random(seed)
    wake_texts = [t for ts in wake.values() for t in ts]
    forbidden = {''.join(p) for a in accents for p in said(wake_texts + sorted(banned), a)}  # word breaks ignored
    out = {}
    for word, names in NAMES.items():
        targets = said([n for n, _ in names])
        stress = [stressed_vowel(n) for n, _ in names]
        drawn: dict[str, tuple[str, str]] = {}  # phrase -> (name as phoneme input, its target name)
        for _ in range(per_word * 40):
            k = r.randrange(len(names))
            p = list(targets[k])
            for _ in range(1 + r.randrange(2)):
                random_edit(p, r)
            name = spelt(p, stress[k])
            drawn.setdefault(f'[[{GREETINGS[names[k][1]]}{name}]]', (f'[[{name}]]', names[k][0]))
            if len(drawn) >= per_word * 4:
                break
        texts = sorted(drawn)
        target_of = dict(zip([n for n, _ in names], targets))
        kept = []
        for t, whole, name in zip(texts, said(texts), said([drawn[t][0] for t in texts])):
            target = target_of[drawn[t][1]]
            if ''.join(whole) in forbidden or consonants(name) == consonants(target) or distance(target, name) > MAX_DISTANCE:
                continue
            kept.append(t)
        out[word] = sorted(r.sample(kept, min(per_word, len(kept))))
    return out
