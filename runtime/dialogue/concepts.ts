/**
 * Teaching (after Alexa's "teachable AI" dialogues): a request that names something unknown ("set
 * the living room lamp to study mode") makes the hub say so and ask to be taught; the next answer is
 * read as device settings ("full brightness and cool white"), stored for that kind of device, and
 * carried out. Later uses apply it to any device of that kind. What is taught is only settings:
 * carrying them out goes through the same policy as every action, so a concept can never reach a
 * sensitive action without confirmation and the PIN.
 */
import type { DeviceSnapshot } from '../types/device.js';
import type { IntentMatch, ResolvedAction, VoiceResponse } from '../types/pipeline.js';
import type { ConceptStore } from '../store/concepts.js';
import { describeSettings, parseSettings } from '../nlu/settings.js';
import type { Pending, Session } from './session.js';

export type ConceptStep =
  | { readonly kind: 'say'; readonly response: VoiceResponse; readonly errorCode?: string }
  | { readonly kind: 'apply'; readonly action: ResolvedAction; readonly preface?: string };

type TeachPending = Extract<Pending, { kind: 'teach' }>;

const say = (speech: string, outcome: VoiceResponse['outcome'], ask = false, errorCode?: string): ConceptStep =>
  ({ kind: 'say', response: { speech, outcome, continueConversation: ask }, ...(errorCode ? { errorCode } : {}) });

const KIND_WORDS: Readonly<Record<string, string>> = { light: 'lights', switch: 'switches', cover: 'blinds and covers', climate: 'thermostats', fan: 'fans', media_player: 'media players' };
const kindWord = (domain: string) => KIND_WORDS[domain] ?? `${domain.replace(/_/g, ' ')} devices`;

export class ConceptDialogue {
  constructor(private readonly store: ConceptStore, private readonly session: Session, private readonly nowMs: () => number, private readonly followUpMs: number) {}

  /** "set <devices> to <concept>": apply what was taught for their kind, or ask to be taught. */
  request(match: IntentMatch, targets: readonly DeviceSnapshot[]): ConceptStep {
    const name = match.slots.unknown_name ?? '';
    const domain = targets[0]!.device.domain;
    const known = this.store.find(name);
    const concept = known.find((c) => c.domain === domain);
    if (concept) return { kind: 'apply', action: this.action(match, targets, concept.operation, name) };
    this.session.pending = { kind: 'teach', concept: name, domain, targetIds: targets.map((t) => t.device.id), intent: match, tries: 0, expiresAtMs: this.nowMs() + this.followUpMs };
    const who = targets.length === 1 ? `the ${targets[0]!.device.name}` : `these ${kindWord(domain)}`;
    const lead = known.length > 0 ? `I know ${name} for ${kindWord(known[0]!.domain)}, but not for ${kindWord(domain)}.` : `I don't know what ${name} is.`;
    return say(`${lead} Can you teach me? Tell me what ${name} means for ${who}, for example: full brightness and cool white.`, 'asked', true, 'concept-unknown');
  }

  /** The answer to "can you teach me?". */
  answer(p: TeachPending, text: string, match: IntentMatch | undefined, targets: readonly DeviceSnapshot[], turnId: string): ConceptStep {
    if (match?.intent === 'HassNevermind' || match?.intent === 'HearthNo') return say(`OK, I won't learn ${p.concept} now.`, 'cancelled');
    const op = parseSettings(text);
    if (!op) {
      if (p.tries >= 1) return say(`Sorry, I still didn't understand the settings, so I haven't learned ${p.concept}.`, 'no-match', false, 'concept-teach-failed');
      this.session.pending = { ...p, tries: p.tries + 1, expiresAtMs: this.nowMs() + this.followUpMs };
      return say(`Sorry, I didn't get that. Say the settings for ${p.concept}, like "half brightness and warm white".`, 'asked', true);
    }
    if (targets.length === 0) return say('The devices I was going to set are gone, so I learned nothing.', 'no-device', false, 'concept-targets-gone');
    const description = describeSettings(op);
    this.store.save(p.concept, p.domain, op, description, this.nowMs(), turnId);
    return { kind: 'apply', action: this.action(p.intent, targets, op, p.concept), preface: `Got it: ${p.concept} is ${description}.` };
  }

  forget(name: string): ConceptStep {
    const n = this.store.forget(name);
    return n > 0 ? say(`OK, I've forgotten ${name}.`, 'answered') : say(`I didn't know ${name}, so there was nothing to forget.`, 'answered');
  }

  describe(name: string): ConceptStep {
    const known = this.store.find(name);
    if (known.length === 0) return say(`I don't know what ${name} is. Ask me to set a device to ${name}, and you can teach me.`, 'answered');
    return say(known.map((c) => `For ${kindWord(c.domain)}, ${name} is ${c.description}.`).join(' '), 'answered');
  }

  private action(match: IntentMatch, targets: readonly DeviceSnapshot[], operation: ResolvedAction['operation'], name: string): ResolvedAction {
    return { intent: 'HearthApplyConcept', targets, ...(operation ? { operation } : {}), slots: match.slots, usedContext: [`concept:${name}`] };
  }
}
