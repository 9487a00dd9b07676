/**
 * Everyday English for negative audio and near-misses, written for Hearth (not drawn from any test
 * set): short sentences from a small grammar, enough for an hour of varied speech without a wake word.
 */
const SUBJECTS = ['I', 'we', 'my sister', 'the neighbours', 'our teacher', 'the driver', 'my friend Sam', 'the kids', 'nobody', 'everyone at work', 'the doctor', 'grandma'];
const VERBS = ['finished', 'forgot', 'painted', 'ordered', 'borrowed', 'cleaned', 'carried', 'found', 'fixed', 'cooked', 'watched', 'sold', 'moved', 'read', 'checked'];
const OBJECTS = ['the old bicycle', 'a box of apples', 'the garden fence', 'three tickets', 'the long report', 'a blue umbrella', 'the last chapter', 'some fresh bread',
  'the kitchen table', 'a cup of soup', 'the broken window', 'the football match', 'a letter from the bank', 'the weekend plans', 'two new chairs'];
const WHEN = ['yesterday', 'this morning', 'after lunch', 'last winter', 'before the storm', 'on Tuesday', 'at midnight', 'during the holidays', 'an hour ago', 'every Sunday'];
const QUESTIONS = ['did you lock the car', 'where are my glasses', 'what time does the train leave', 'can we go to the park later', 'who left the milk out',
  'is it going to rain tomorrow', 'how much was the pizza', 'have you seen the remote', 'should I call the plumber', 'why is the dog barking'];
const COMMANDS = ['turn on the kitchen light', 'set the heating to twenty degrees', 'switch off the television', 'open the bedroom blinds', 'what is the temperature outside',
  'play some quiet music', 'dim the lights in the living room', 'start the vacuum cleaner', 'close the garage door', 'set a timer for ten minutes'];

/** The i-th sentence (deterministic, cycling through several shapes). */
export function sentence(i: number): string {
  const pick = <T>(xs: readonly T[], k: number) => xs[k % xs.length]!;
  switch (i % 4) {
    case 0: return `${pick(SUBJECTS, i)} ${pick(VERBS, i * 7 + 1)} ${pick(OBJECTS, i * 5 + 2)} ${pick(WHEN, i * 3)}.`;
    case 1: return `${pick(QUESTIONS, i * 11)}?`;
    case 2: return `please ${pick(COMMANDS, i * 13)}, and then ${pick(VERBS, i).replace(/ed$/, '')} ${pick(OBJECTS, i * 2)}.`;
    default: return `${pick(WHEN, i * 7)}, ${pick(SUBJECTS, i * 5)} ${pick(VERBS, i * 3)} ${pick(OBJECTS, i)} and ${pick(VERBS, i * 2 + 5)} ${pick(OBJECTS, i * 9 + 4)}.`;
  }
}

/** Wake phrases said in positives: the word alone and run into a command. */
export const WAKE_PHRASES: Readonly<Record<string, readonly string[]>> = {
  alexa: ['alexa', 'alexa, turn on the light', 'alexa, what time is it'],
  hey_jarvis: ['hey jarvis', 'hey jarvis, turn on the light', 'hey jarvis, what time is it'],
  // espeak-ng says "mycroft" as "MICK-roft"; spelt as said, so the voices say the wake word people say.
  hey_mycroft: ['hey my croft', 'hey my croft, turn on the light', 'hey my croft, what time is it'],
  hey_rhasspy: ['hey rhasspy', 'hey rhasspy, turn on the light', 'hey rhasspy, what time is it'],
};

/** Words that sound close to a wake word and must not wake it. */
export const NEAR_MISSES: Readonly<Record<string, readonly string[]>> = {
  alexa: ['alex', 'alexis', 'election', 'a lexicon', 'electric', 'unless you', 'hey alex, come here'],
  hey_jarvis: ['hey jarvie', 'hey travis', 'jarvis cocker', 'hey jars', 'harvest', 'hey service'],
  hey_mycroft: ['hey microsoft', 'hey my crop', 'microfilm', 'hey mike', 'my craft'],
  hey_rhasspy: ['hey raspberry', 'hey rusty', 'rhapsody', 'hey wasp', 'hey rascal'],
};
