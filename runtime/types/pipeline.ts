/**
 * The messages that flow between stages of one turn. Each is small, immutable data; the stages are
 * listed in runtime/pipeline/stages.ts. Audio stages (wake, VAD, ASR) come before `rewrite` and
 * only add stages in front of the text path.
 */
import type { DeviceOperation, DeviceSnapshot } from './device.js';
import type { IntentName } from './intents.js';

/** Where a turn's text came from. */
export type TurnSource = 'text' | 'mqtt' | 'speech' | 'scenario' | 'wyoming';

export interface TurnInput {
  /** The text as typed or recognised. */
  readonly text: string;
  readonly source: TurnSource;
  /** Who asked, as far as the hub can tell: the satellite's site, or the siteId an MQTT client gave. Wrong PINs lock out per origin. */
  readonly origin?: string;
  /** The area of the hub or satellite that heard it; falls back to the hub's configured area. */
  readonly area?: string;
  /** Caller's correlation id, echoed in the turn result. */
  readonly requestId?: string;
  readonly atMs: number;
  /** The recogniser's other hypotheses, best first (speech only): tried when the top one does not work here. */
  readonly alternatives?: readonly string[];
  /** The recogniser was not sure of the words (speech only): an action waits until the person says yes. */
  readonly confirm?: boolean;
  /** Stages run before the text ones (speech: wake, vad, asr), already traced. */
  readonly before?: readonly StageTrace[];
  /** The run ended before the text stages (speech not recognised, no engine): what the hub says, and why. */
  readonly failure?: { readonly code: string; readonly speech: string };
}

export interface RewrittenText {
  readonly text: string;
  readonly original: string;
  readonly source: 'none' | 'global' | 'personal' | 'taught' | 'nbest';
  readonly ruleId?: string;
  /** 1-based rank of the ASR hypothesis used, when it was not the top one. */
  readonly alternative?: number;
}

/** Slot values use Home Assistant's slot names. */
export interface IntentSlots {
  name?: string;
  area?: string;
  floor?: string;
  domain?: string;
  device_class?: string;
  state?: string;
  brightness?: number;
  color?: string;
  temperature?: number;
  position?: number;
  volume_level?: number;
  /** HassSetVolumeRelative: "up", "down", or a signed step in percent ("by 10"). */
  volume_step?: 'up' | 'down' | number;
  /** HassFanSetSpeed: the speed in percent. */
  percentage?: number;
  /** HassBroadcast: what to say in every room. */
  message?: string;
  hours?: number;
  minutes?: number;
  seconds?: number;
  start_hours?: number;
  start_minutes?: number;
  start_seconds?: number;
  search_query?: string;
  media_class?: string;
  item?: string;
  /** HassGetWeather: a place that is no part of this home ("in New York"). */
  place?: string;
  /** HearthCustom: the household's own intent (custom sentences), its slots, and the response already filled in. */
  custom_intent?: string;
  custom_slots?: Readonly<Record<string, string | number>>;
  custom_response?: string;
  /** When a device request is for ("at 7:30", "in half an hour", "tomorrow"): the hub keeps no schedules and does not act. */
  when?: string;
  /** Words the sentence used to point back at earlier devices ("it", "them"). */
  reference?: 'it' | 'them';
  /** The sentence named the hub's own room ("here", "in this room"). */
  here?: boolean;
  /** The sentence asked for every device matching the other slots ("all the lights"). */
  all?: boolean;
  /** A kind of device in the singular ("the lamp"): one device is meant, so several in different rooms are a question. */
  singular?: boolean;
  /** The sentence named the whole home ("everywhere", "in the house"): no default area applies. */
  everywhere?: boolean;
  /** Relative brightness change ("dim the lights", "brighter"). */
  brightness_step?: 'up' | 'down';
  /** Colour temperature in mired for white words ("cool white"). */
  color_temp_mired?: number;
  /** Control words without a known HA slot: "stop" for covers and vacuums, "dock" for vacuums. */
  command?: 'stop' | 'dock';
  /** A spoken PIN or number sequence, kept as digits. */
  digits?: string;
  /** Words that were not understood where a device name was expected (for teaching and replies). */
  unknown_name?: string;
}

export interface IntentMatch {
  /** Home Assistant intent name (HassTurnOn...) or a Hearth dialogue intent (HearthYes, HearthNo, HearthDigits): types/intents.ts. */
  readonly intent: IntentName;
  readonly slots: Readonly<IntentSlots>;
  /** 0..1: how much of the sentence the match explained. */
  readonly score: number;
  /** Which template family matched, for the log. */
  readonly rule: string;
  /** A near-miss name or area that was put right before matching ("desk lamb" -> "desk lamp"). */
  readonly corrected?: { readonly heard: string; readonly as: string; readonly score: number };
}

export interface ResolvedAction {
  readonly intent: IntentName;
  readonly targets: readonly DeviceSnapshot[];
  /** For control intents, what to do to each target; queries leave it undefined. */
  readonly operation?: DeviceOperation;
  /** The measure a query is about (`temperature`, `power`, `lock`...). */
  readonly measure?: string;
  readonly slots: Readonly<IntentSlots>;
  /** Why these targets: each entry names a rule that fired ("area-default:Kitchen", "it:last-device"). */
  readonly usedContext: readonly string[];
}

export type PolicyDecision =
  | { readonly kind: 'allowed' }
  | { readonly kind: 'needs-pin'; readonly reason: string }
  | { readonly kind: 'refused'; readonly reason: string; readonly code: string };

export interface DeviceCommand {
  readonly adapter: string;
  readonly deviceId: string;
  readonly topic: string;
  readonly payload: string;
  readonly qos: 0 | 1;
  readonly retain: boolean;
}

export type TurnOutcome =
  | 'action-done' | 'answered' | 'asked' | 'refused' | 'no-match' | 'no-device' | 'not-supported'
  | 'error' | 'cancelled';

export interface VoiceResponse {
  readonly speech: string;
  readonly outcome: TurnOutcome;
  /** True when the hub asked and listens for the answer without a wake word. */
  readonly continueConversation: boolean;
}

/** What one stage did in one turn, as stored in the interaction log and published in the turn record. */
export interface StageTrace {
  readonly stage: string;
  readonly input: unknown;
  /** What the stage decided, small enough to publish (device ids, not device snapshots). */
  readonly output: unknown;
  /** Wall-clock (epoch) milliseconds when the stage started and ended. */
  readonly startMs: number;
  readonly endMs: number;
  readonly durationMs: number;
  readonly confidence?: number;
  readonly errorCode?: string;
}

export interface TurnResult {
  readonly turnId: string;
  readonly sessionId: string;
  readonly requestId?: string;
  readonly source: TurnSource;
  /** The satellite or MQTT client that asked. */
  readonly siteId?: string;
  /** When the request came in (epoch ms). */
  readonly atMs: number;
  /** The words the run acted on (empty when none were recognised; the PIN redacted). */
  readonly text: string;
  readonly intent?: IntentName;
  readonly slots?: Readonly<IntentSlots>;
  readonly response: VoiceResponse;
  readonly commands: readonly DeviceCommand[];
  readonly usedContext: readonly string[];
  readonly errorCode?: string;
  readonly stages: readonly StageTrace[];
}
