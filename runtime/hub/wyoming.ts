/**
 * The Wyoming server as a way in and out of the same run: what Home Assistant or a satellite sends over Wyoming
 * reaches the hub's ASR, wake models, NLU and voice; a satellite's stream is one more audio site, its requests run
 * like any spoken request, and its replies come back on its connection.
 */
import type { HearthConfig } from '../config/config.js';
import type { Logger } from '../log.js';
import type { Lexicon } from '../nlu/lexicon.js';
import { recognize } from '../nlu/recognizer.js';
import type { TurnInput, TurnResult } from '../types/pipeline.js';
import { HearthError } from '../types/errors.js';
import { WyomingServer } from '../wyoming/server.js';
import { HEARTH_VERSION } from '../version.js';
import type { WyomingServices } from '../wyoming/session.js';
import type { HubAudio } from './audio.js';
import type { Component } from './components.js';
import type { Speaker } from './speaker.js';

export interface WyomingHubSide {
  audio(): HubAudio | undefined;
  readonly speaker: Speaker;
  lexicon(): Lexicon;
  run(input: TurnInput): TurnResult;
  /** A satellite's speaker finished the reply. */
  played(siteId: string): void;
  nowMs(): number;
}

/** Outcomes where the hub did what was asked or answered it; the rest are Wyoming's not-handled. */
const HANDLED = new Set(['action-done', 'answered', 'asked']);
const HEARTH = { name: 'Hearth', url: 'https://github.com/hearth-voice/hearth' };

/** What Hearth offers, as Wyoming's info event describes programs and their models. */
export function wyomingInfo(config: HearthConfig, ttsVoice: string | undefined): Record<string, unknown> {
  const artifact = (name: string, description: string) => ({ name, description, attribution: HEARTH, installed: true, version: HEARTH_VERSION });
  return {
    asr: config.asr.engine === 'none' ? [] : [{ ...artifact('hearth-asr', `Hearth speech recognition with this home's grammar (${config.asr.engine})`),
      models: [{ ...artifact(config.asr.engine, `${config.asr.engine}, grammar built live from the home's devices and rooms`), languages: ['en'] }], supports_transcript_streaming: false }],
    wake: [{ ...artifact('hearth-wake', 'openWakeWord models'),
      models: config.wake.words.map((w) => ({ ...artifact(w.id, `wake word ${w.id.replace(/_/g, ' ')}`), languages: ['en'], phrase: w.id.replace(/_/g, ' ') })) }],
    intent: [{ ...artifact('hearth-intent', 'Home Assistant intents from text'), models: [{ ...artifact('hearth-nlu', 'Hearth rules and fuzzy names'), languages: ['en'] }] }],
    handle: [{ ...artifact('hearth', 'Hearth acts on requests over MQTT and answers'), models: [{ ...artifact('hearth', 'Hearth home control'), languages: ['en'] }],
      supports_handled_streaming: false, supports_home_control: true }],
    tts: ttsVoice ? [{ ...artifact('hearth-tts', `${config.tts.engine} voice`), voices: [{ ...artifact(ttsVoice, `${config.tts.engine} ${ttsVoice}`), languages: ['en-us'] }], supports_synthesize_streaming: false }] : [],
    mic: [], snd: [],
  };
}

export class HubWyoming implements Component {
  readonly name = 'wyoming';
  private server: WyomingServer | undefined;

  constructor(private readonly config: HearthConfig, private readonly log: Logger, private readonly hub: WyomingHubSide) {}

  /** Wyoming connections open now. */
  get clients(): number {
    return this.server?.clients ?? 0;
  }

  get port(): number {
    return this.server?.port ?? 0;
  }

  async start(): Promise<void> {
    const w = this.config.wyoming;
    this.server = new WyomingServer({ host: w.host, port: w.port, maxClients: w.maxClients, satellites: w.satellites }, this.services(), this.log);
    await this.server.start();
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  private ears(): HubAudio {
    const a = this.hub.audio();
    if (!a) throw new HearthError('audio-off', 'environment', 'The hub\'s audio stages did not start (see the log): Wyoming audio cannot be heard.');
    return a;
  }

  private services(): WyomingServices {
    const hub = this.hub;
    return {
      info: () => wyomingInfo(this.config, hub.speaker.engine?.voice),
      transcribe: (frames) => this.ears().transcribe(frames),
      wakeDetector: (names) => this.ears().wakeDetector(names),
      recognize: (text) => {
        const m = recognize(text, hub.lexicon());
        return m ? { name: m.intent, entities: Object.entries(m.slots).map(([name, value]) => ({ name, value })) } : undefined;
      },
      handle: (text, clientId) => {
        const r = hub.run({ text, source: 'wyoming', origin: clientId, atMs: hub.nowMs() });
        return { handled: HANDLED.has(r.response.outcome), speech: r.response.speech };
      },
      synthesize: (text) => hub.speaker.synthesize(text),
      openSatellite: async (siteId, out) => {
        const site = await this.ears().openSite(siteId, { detection: (w) => out.detection(w), transcript: (t) => { if (t) out.transcript(t); } });
        const unregister = hub.speaker.register(siteId, (text, audio) => out.reply(text, audio));
        return { ...site, close: async () => { unregister(); await site.close(); } };
      },
      played: (siteId) => hub.played(siteId),
    };
  }
}
