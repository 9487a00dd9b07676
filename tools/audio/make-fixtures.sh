#!/usr/bin/env bash
# Regenerates the small test clips in test/fixtures/audio from Debian's flite and espeak-ng voices
# (apt-get install flite espeak-ng sox). Never festival: its voices are kept for held-out checks.
# The clips are committed; this script documents exactly how they were made. sox dithers when it
# converts, so a new run gives slightly different bytes: regenerate only what you add.
set -euo pipefail
out="$(dirname "$0")/../../test/fixtures/audio"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
say_flite() { flite -voice "$1" -t "$2" -o "$tmp/$3.wav"; sox "$tmp/$3.wav" -r 16000 -c 1 -b 16 "$tmp/$3-16k.wav"; }
sox -n -r 16000 -c 1 -b 16 "$tmp/gap.wav" trim 0 0.3
sox -n -r 16000 -c 1 -b 16 "$tmp/tail.wav" trim 0 1.0
say_flite slt "hey jarvis" wake; say_flite slt "turn on the kitchen light" cmd
sox "$tmp/wake-16k.wav" "$tmp/gap.wav" "$tmp/cmd-16k.wav" "$tmp/tail.wav" "$out/hey-jarvis-command-slt.wav"
say_flite awb "alexa, what time is it" alexa
sox "$tmp/alexa-16k.wav" "$tmp/tail.wav" "$out/alexa-time-awb.wav"
say_flite rms "the weather is nice today, let us go for a walk by the river" neg
sox "$tmp/neg-16k.wav" "$tmp/tail.wav" "$out/no-wake-word-rms.wav"
# espeak-ng writes 22050 Hz: kept at that rate, so the resampler is on the tested path.
espeak-ng -v en-us -s 150 -w "$tmp/esp.wav" "hey jarvis, turn off the lamp"
sox "$tmp/esp.wav" -c 1 -b 16 "$out/hey-jarvis-espeak-22k.wav" pad 0 1.0
# Commands alone, for the ASR engines' contract tests.
say_flite awb "turn off the bedroom lamp" c1; sox "$tmp/c1-16k.wav" "$tmp/tail.wav" "$out/cmd-bedroom-lamp-off-awb.wav"
say_flite rms "what is the temperature in the living room" c2; sox "$tmp/c2-16k.wav" "$tmp/tail.wav" "$out/cmd-temperature-living-room-rms.wav"
espeak-ng -v en-us -s 150 -w "$tmp/c3.wav" "switch on the coffee maker"; sox "$tmp/c3.wav" -r 16000 -c 1 -b 16 "$out/cmd-coffee-maker-on-espeak.wav" pad 0 0.5
# Hearth's hey_mycroft verifier: the wake phrase, and a near-miss its classifier alone fires on (said as the
# evaluation set's espeak-ng en-us+f1 variant says it).
say_flite awb "hey mycroft, turn on the lamp" myc; sox "$tmp/myc-16k.wav" "$tmp/tail.wav" "$out/hey-mycroft-lamp-awb.wav"
espeak-ng -v en-us+f1 -s 160 -p 45 -w "$tmp/crop.wav" "hey my crop"; sox "$tmp/crop.wav" -r 16000 -c 1 -b 16 "$out/near-miss-hey-my-crop-espeak-f1.wav" pad 0 1.0
# Hearth's hey_rhasspy verifier (full band): a "hey rusty" its classifier alone fires on, espeak-ng's default speed and
# pitch, after 2.5 s of silence (past the wake stage's start-up hold-off).
espeak-ng -v en-us+f1 -w "$tmp/rusty.wav" "hey rusty"; sox "$tmp/rusty.wav" -r 16000 -c 1 -b 16 "$out/near-miss-hey-rusty-espeak-f1.wav" pad 2.5 1
# Hearth's hey_jarvis verifier (full band): a "hey jarvie" its classifier alone fires on and its 32-band verifier let
# through; "jarvie" lacks the /s/ of "jarvis", which lies mostly above the 3800 Hz where openWakeWord's bands stop.
espeak-ng -v en-us+f3 -w "$tmp/jarvie.wav" "hey jarvie"; sox "$tmp/jarvie.wav" -r 16000 -c 1 -b 16 "$out/near-miss-hey-jarvie-espeak-f3.wav" pad 2.5 1
# Hearth's alexa models: "a lexicon" starts as "alexa" is said and goes on; the alexa models before the 'prefixes' and
# 'slow' training data (2026-12-03, fifth session) woke on it in this Scottish voice.
espeak-ng -v en-gb-scotland -w "$tmp/lexicon.wav" "a lexicon"; sox "$tmp/lexicon.wav" -r 16000 -c 1 -b 16 "$out/near-miss-a-lexicon-espeak-scotland.wav" pad 2.5 1
# wake-eval's firing delay: "hey jarvis" alone, with the half second of silence each side the generator gives positives.
espeak-ng -v en-us -w "$tmp/alone.wav" "hey jarvis"; sox "$tmp/alone.wav" -r 16000 -c 1 -b 16 "$out/hey-jarvis-alone-espeak.wav" pad 0.5 0.5
ls -l "$out"
