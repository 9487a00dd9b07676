/**
 * One turn through the text stages. Every stage is timed and traced; a failure inside one is
 * wrapped at the boundary into a HearthError with a stable code and becomes an `error` event, and
 * the run always ends with `run-end` and a spoken answer.
 */
import { randomUUID } from 'node:crypto';
import type { Device, DeviceOperation, RegistryView } from '../types/device.js';
import type { DeviceCommand, IntentMatch, PolicyDecision, ResolvedAction, RewrittenText, StageTrace, TurnInput, TurnResult, VoiceResponse } from '../types/pipeline.js';
import { asHearthError, HearthError } from '../types/errors.js';
import type { EventBus } from '../bus.js';
import type { Logger } from '../log.js';
import type { Lexicon } from '../nlu/lexicon.js';
import { recognize } from '../nlu/recognizer.js';
import { resolve, operationForTarget, type Resolution } from '../context/resolver.js';
import type { Policy } from '../policy/policy.js';
import type { Session } from '../dialogue/session.js';
import { ConceptDialogue, type ConceptStep } from '../dialogue/concepts.js';
import { LearnOffer } from '../dialogue/offer.js';
import type { ConceptStore } from '../store/concepts.js';
import type { RewriteCache } from '../rewrite/cache.js';
import { rewriteText } from './rewrite-stage.js';
import { actionDone, answerState, notYetText, pickOption, plainAnswer, unreachableReply } from '../dialogue/replies.js';
import type { Household } from '../dialogue/household.js';
import { followUp } from '../dialogue/follow-up.js';
import type { PipelineEvents, StageName } from './events.js';
import type { PublishResult } from '../mqtt/link.js';
import { isSensitiveDevice } from '../policy/sensitive.js';
import { scrub } from '../policy/secret.js';
import { compact } from './record.js';

export interface TurnDeps {
  readonly lexicon: () => Lexicon;
  readonly registry: RegistryView;
  readonly policy: Policy;
  readonly concepts: ConceptStore;
  readonly rewrites?: RewriteCache;
  /** Timers and lists (the turn's site is the one a timer belongs to); the household's own sentences, read first. */
  readonly household?: Household;
  readonly custom?: { match(text: string, lexicon: Lexicon, area: string | undefined): IntentMatch | undefined };
  readonly buildCommands: (device: Device, op: DeviceOperation) => DeviceCommand[];
  /** Sends a command; `sensitive` ones are never held for a broker that is away. */
  readonly publish: (cmd: DeviceCommand, sensitive: boolean) => PublishResult;
  /** How long a command may wait for a broker that is away (mqtt.commandTtlMs). */
  readonly commandTtlMs: number;
  readonly events: EventBus<PipelineEvents>;
  readonly hubArea: string | undefined;
  readonly followUpMs: number;
  readonly referenceMs: number;
  readonly nowMs: () => number;
  readonly log: Logger;
}

const say = (speech: string, outcome: VoiceResponse['outcome'], continueConversation = false): VoiceResponse => ({ speech, outcome, continueConversation });

export class Turn {
  readonly id = randomUUID();
  private readonly traces: StageTrace[] = [];
  private readonly commands: DeviceCommand[] = [];
  private usedContext: readonly string[] = [];
  private match: IntentMatch | undefined;
  private teachingFor: string | undefined;
  /** The person said yes to "did you say ...?": the action goes ahead (through the policy, as any other). */
  private confirmed = false;
  /** The words the turn acts on: as heard, or the rewrite or n-best alternative that replaced them. */
  private understood: string | undefined;
  private readonly recognised = new Map<string, IntentMatch | undefined>();
  private errorCode: string | undefined;

  constructor(private readonly input: TurnInput, private readonly session: Session, private readonly deps: TurnDeps) {}

  private stage<I, O>(name: StageName, input: I, fn: (input: I) => O, confidence?: (o: O) => number | undefined): O {
    const { events } = this.deps;
    events.emit('stage-start', { turnId: this.id, stage: name, input });
    const t0 = performance.now(), startMs = this.deps.nowMs();
    const timing = () => { const durationMs = performance.now() - t0; return { startMs, endMs: startMs + Math.round(durationMs), durationMs }; };
    try {
      const output = fn(input);
      const c = confidence?.(output);
      const trace: StageTrace = { stage: name, input: compact(input), output: compact(output), ...timing(), ...(c !== undefined ? { confidence: c } : {}) };
      this.traces.push(trace);
      events.emit('stage-end', { turnId: this.id, trace });
      return output;
    } catch (err) {
      const e = asHearthError(err, `${name}-failed`);
      this.traces.push({ stage: name, input: compact(input), output: null, ...timing(), errorCode: e.code });
      events.emit('error', { turnId: this.id, stage: name, code: e.code, message: e.message });
      throw e;
    }
  }

  run(): TurnResult {
    let response: VoiceResponse;
    this.deps.events.emit('run-start', { turnId: this.id, source: this.input.source, atMs: this.input.atMs });
    for (const trace of this.input.before ?? []) { this.traces.push(trace); this.deps.events.emit('stage-end', { turnId: this.id, trace }); }
    const failure = this.input.failure;
    try {
      // Speech that never became words (rejected, no engine) ends here, in the same record as any other run.
      if (failure) { this.errorCode = failure.code; response = say(failure.speech, 'error'); }
      else response = this.pipeline();
      if (failure || this.secret()) this.session.lastFailure = undefined; // a PIN is never a phrase to learn
      else response = new LearnOffer(this.session, this.deps.rewrites, this.deps.nowMs, this.deps.followUpMs).afterTurn(this.input.text, response, this.teachingFor);
    } catch (err) {
      const e = asHearthError(err, 'turn-failed');
      this.errorCode = e.code;
      this.deps.log.error({ code: e.code, err: e.message }, 'turn failed');
      response = say(e.fault === 'input' ? e.message : 'Sorry, something went wrong on the hub. It has been logged.', 'error');
    }
    const full: TurnResult = {
      turnId: this.id, sessionId: this.session.id, source: this.input.source, atMs: this.input.atMs, ...(this.input.origin ? { siteId: this.input.origin } : {}),
      text: this.input.text, response, commands: this.commands, usedContext: this.usedContext,
      stages: this.traces, ...(this.input.requestId ? { requestId: this.input.requestId } : {}),
      ...(this.match ? { intent: this.match.intent, slots: this.match.slots } : {}), ...(this.errorCode ? { errorCode: this.errorCode } : {}),
    };
    // What leaves the turn (the log, MQTT, the turn log) never holds the PIN; the commands it unlocked are kept as sent.
    const result = this.secret() ? { ...scrub(full, [this.input.text, this.match?.slots.digits ?? '']), commands: full.commands } : full;
    this.session.turns++;
    this.session.done(this.match, response.outcome, this.deps.nowMs());
    this.deps.events.emit('run-end', result);
    return result;
  }

  /** Who asked, for the PIN lockout: the source and the site or client. */
  private readonly origin = (): string => `${this.input.source}:${this.input.origin ?? ''}`;

  /** The turn carries a PIN: digits as an answer, or the PIN (or a run of digits shaped like one) anywhere in the words. */
  private secret(): boolean {
    return this.match?.intent === 'HearthDigits' || this.deps.policy.holdsSecret(this.input.text);
  }

  private pipeline(): VoiceResponse {
    const now = this.deps.nowMs();
    const rewritten = this.stage('rewrite', this.input.text, (text) => this.rewrite(text));
    this.understood = rewritten.text;
    const match = this.stage('nlu', rewritten.text, (text) => this.recognise(text) ?? null, (m) => m?.score);
    if (match) this.match = match;
    const pending = this.session.activePending(now);
    if (pending) {
      this.session.pending = undefined;
      if (pending.kind === 'pin') {
        if (match?.intent === 'HearthDigits') return this.answerPin(pending.action, pending.commands, match.slots.digits ?? '');
        if (match?.intent === 'HearthNo' || match?.intent === 'HassNevermind') return say(`OK, I won't ${pending.what}.`, 'cancelled');
      } else if (pending.kind === 'confirm') {
        if (match?.intent === 'HearthYes') {
          this.match = pending.intent;
          this.confirmed = true;
          return this.carryOut(pending.intent, { kind: 'resolved', action: pending.action });
        }
        if (match?.intent === 'HearthNo' || match?.intent === 'HassNevermind') return say("OK, I won't.", 'cancelled');
        // Anything else is a new request, carried out as any other.
      } else if (pending.kind === 'teach-rewrite') {
        if (match?.intent === 'HassNevermind' || match?.intent === 'HearthNo') return say("OK, I won't.", 'cancelled');
        this.teachingFor = pending.source; // carried out as any request; remembered if it works (LearnOffer)
      } else if (pending.kind === 'teach') {
        const targets = pending.targetIds.map((id) => this.deps.registry.get(id)).filter((d): d is NonNullable<typeof d> => d !== undefined);
        this.match = pending.intent;
        return this.conceptStep(pending.intent, this.concepts().answer(pending, this.input.text, match ?? undefined, targets, this.id));
      } else if (match?.intent !== 'HassNevermind' && match?.intent !== 'HearthNo') {
        const areas = this.deps.lexicon().tag(this.input.text.toLowerCase().split(/\s+/)).flatMap((s) => (s.tag.kind === 'area' ? [s.tag.value] : []));
        const chosen = pickOption(this.input.text, areas, pending.options);
        if (chosen && pending.intent.intent === 'HearthApplyConcept') {
          this.match = pending.intent;
          return this.conceptStep(pending.intent, this.concepts().request(pending.intent, [chosen]));
        }
        if (chosen) {
          // The answer completes the question's request: the turn carries that intent, with the chosen name.
          this.match = { ...pending.intent, slots: { ...pending.intent.slots, name: chosen.device.name } };
          return this.carryOut(pending.intent, { kind: 'resolved', action: { ...this.resolveOrThrow(pending.intent, [chosen.device.id]) } });
        }
      }
    }
    if (!match) {
      this.errorCode = 'intent-no-match';
      return say("Sorry, I didn't understand that.", 'no-match');
    }
    const plain = plainAnswer(match, now, this.deps.registry) ?? this.deps.household?.answer(match, this.input.origin ?? 'local', now);
    if (plain) return plain;
    switch (match.intent) {
      case 'HearthApplyConcept': return this.applyConcept(match);
      case 'HearthForgetConcept': return this.conceptStep(match, this.concepts().forget(match.slots.unknown_name ?? ''));
      case 'HearthDescribeConcept': return this.conceptStep(match, this.concepts().describe(match.slots.unknown_name ?? ''));
    }
    const notYet = notYetText(match);
    if (notYet) {
      this.errorCode = 'intent-not-supported';
      return say(notYet, 'not-supported');
    }
    const resolution = this.stage('resolve', match, (m) => resolve(m, {
      registry: this.deps.registry, hubArea: this.input.area ?? this.deps.hubArea, lastDeviceIds: this.session.references(now, this.deps.referenceMs),
    }));
    return this.carryOut(match, resolution);
  }

  /** The rewrite stage (rewrite-stage.ts); nothing is rewritten while the hub waits for an answer. */
  private rewrite(text: string): RewrittenText {
    if (this.session.activePending(this.deps.nowMs())) return { text, original: text, source: 'none' };
    return rewriteText(text, { cache: this.deps.rewrites, alternatives: this.input.alternatives ?? [], works: (t) => this.usable(t) });
  }

  /** recognize(), once per text per turn: the rewrite stage and the NLU stage often ask about the same words. */
  private recognise(text: string): IntentMatch | undefined {
    const lex = this.deps.lexicon(), last = this.session.lastRequestWithin(this.deps.nowMs(), this.deps.followUpMs);
    if (!this.recognised.has(text)) this.recognised.set(text, this.deps.custom?.match(text, lex, this.input.area ?? this.deps.hubArea) ?? recognize(text, lex) ?? followUp(text, lex, last));
    return this.recognised.get(text);
  }

  /** Whether this home can act on `text`: it is understood, and the devices it names are here. */
  private usable(text: string): boolean {
    const m = this.recognise(text);
    if (!m || m.slots.unknown_name) return false;
    const s = m.slots;
    if (!(s.name || s.area || s.domain || s.device_class)) return true;
    const r = resolve(m, { registry: this.deps.registry, hubArea: this.input.area ?? this.deps.hubArea, lastDeviceIds: [] });
    return r.kind !== 'no-device';
  }

  private concepts(): ConceptDialogue {
    return new ConceptDialogue(this.deps.concepts, this.session, this.deps.nowMs, this.deps.followUpMs);
  }

  /** "set the bedroom lamp to study mode": the devices as any switch request finds them, then the concept. */
  private applyConcept(match: IntentMatch): VoiceResponse {
    const { unknown_name: _unknown, ...slots } = match.slots;
    const resolution = this.stage('resolve', match, () => resolve({ ...match, intent: 'HassTurnOn', slots }, {
      registry: this.deps.registry, hubArea: this.input.area ?? this.deps.hubArea, lastDeviceIds: this.session.references(this.deps.nowMs(), this.deps.referenceMs),
    }));
    if (resolution.kind === 'no-device') return this.carryOut(match, resolution);
    if (resolution.kind === 'clarify') return this.carryOut(match, { ...resolution, intent: match });
    return this.conceptStep(match, this.concepts().request(match, resolution.action.targets));
  }

  private conceptStep(match: IntentMatch, step: ConceptStep): VoiceResponse {
    if (step.kind === 'say') {
      if (step.errorCode) this.errorCode = step.errorCode;
      return step.response;
    }
    const response = this.carryOut(match, { kind: 'resolved', action: step.action });
    return step.preface && response.outcome === 'action-done' ? { ...response, speech: `${step.preface} ${response.speech}` } : response;
  }

  private resolveOrThrow(intent: IntentMatch, ids: readonly string[]): ResolvedAction {
    const r = resolve({ ...intent, slots: { ...intent.slots, reference: 'it' } }, { registry: this.deps.registry, hubArea: this.deps.hubArea, lastDeviceIds: ids });
    if (r.kind !== 'resolved') throw new HearthError('clarify-failed', 'input', "I couldn't use that device for it.");
    return r.action;
  }

  private carryOut(match: IntentMatch, resolution: Resolution): VoiceResponse {
    if (resolution.kind === 'no-device') return this.fail(resolution.code, say(resolution.reason, 'no-device'));
    if (resolution.kind === 'clarify') {
      this.session.pending = { kind: 'clarify', intent: resolution.intent, options: resolution.options, expiresAtMs: this.deps.nowMs() + this.deps.followUpMs };
      return say(resolution.question, 'asked', true);
    }
    const action = resolution.action;
    this.usedContext = action.usedContext;
    this.session.remember(action.targets.map((t) => t.device.id), this.deps.nowMs());
    if (!action.operation) return this.stage('respond', action, (a) => say(answerState(a), 'answered'));
    if (this.input.confirm && !this.confirmed) {
      // Words the recogniser was not sure of never act silently: "lock" heard as "unlock" must be caught here.
      this.session.pending = { kind: 'confirm', intent: match, action, expiresAtMs: this.deps.nowMs() + this.deps.followUpMs };
      this.errorCode = 'asr-confirm'; // not a failure: the turn record says why the hub asked instead of acting
      return say(`Did you say "${this.understood ?? this.input.text}"?`, 'asked', true);
    }
    const decision = this.stage('policy', action, (a): PolicyDecision => this.deps.policy.decide(a, this.origin()));
    if (decision.kind === 'refused') return this.fail(decision.code, say(decision.reason, 'refused'));
    const commands = this.stage('act', action, (a) => a.targets.flatMap((t) => this.deps.buildCommands(t.device, operationForTarget(a, t)!)));
    if (decision.kind === 'needs-pin') {
      this.session.pending = { kind: 'pin', action, commands, what: decision.reason, expiresAtMs: this.deps.nowMs() + this.deps.followUpMs };
      return say(`To ${decision.reason}, say the household PIN.`, 'asked', true);
    }
    return this.publishAndAnswer(action, commands);
  }

  private fail(code: string, response: VoiceResponse): VoiceResponse {
    this.errorCode = code;
    return response;
  }

  private answerPin(action: ResolvedAction, commands: readonly DeviceCommand[], digits: string): VoiceResponse {
    const verdict = this.stage('policy', digits.replace(/./g, '*'), () => this.deps.policy.checkPin(digits, this.origin()));
    if (verdict === 'ok') return this.publishAndAnswer(action, commands, true);
    this.errorCode = verdict === 'locked-out' ? 'policy-locked-out' : 'policy-pin-wrong';
    return say(verdict === 'locked-out' ? 'That PIN is not right, and there have been too many tries. Voice control of locks, doors and ovens is paused for a while.' : 'That PIN is not right, so I changed nothing.', 'refused');
  }

  /**
   * Sends the commands and says what happened. With the broker away, a sensitive command (it needed the PIN, or it is a
   * lock, alarm, garage door or gate) is not sent at all, and others wait at most mqtt.commandTtlMs: the reply says so.
   */
  private publishAndAnswer(action: ResolvedAction, commands: readonly DeviceCommand[], viaPin = false): VoiceResponse {
    const sensitive = viaPin || action.targets.some((t) => isSensitiveDevice(t.device));
    const results = commands.map((c) => {
      const r = this.deps.publish(c, sensitive);
      if (r !== 'dropped') this.commands.push(c);
      return r;
    });
    const unreachable = unreachableReply(results, action, this.deps.commandTtlMs);
    if (unreachable) return this.fail(unreachable.code, say(unreachable.speech, 'error'));
    return this.stage('respond', action, (a) => say(actionDone(a), 'action-done'));
  }
}
