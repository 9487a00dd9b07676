/**
 * What each wake word says, for the ASR's confirmation of a detection (wake.asrCheck), as JSGF. A name the ASR writes
 * as a word of its own (Alexa, Jarvis) is what is checked, "hey" before it optional (an unstressed "hey" is written
 * "A." as often as not); an invented name (Mycroft, Rhasspy) is an open slot, so the check hears "hey" and a name
 * after it, however the model spells the name: real people's "hey mycroft" scored 0.00-0.27 held to the spelling
 * "mycroft" (docs/results/wake.md). Words not listed are not checked.
 */
const PHRASES: Readonly<Record<string, string>> = {
  alexa: 'alexa',
  hey_jarvis: '[hey] jarvis',
  hey_mycroft: 'hey <any>',
  hey_rhasspy: 'hey <any>',
};

export function wakePhrase(wakeWordId: string): string | undefined {
  return PHRASES[wakeWordId];
}
