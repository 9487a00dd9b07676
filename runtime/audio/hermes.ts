/**
 * Satellites stream audio to the hub in the Hermes protocol (Rhasspy, Snips): small WAV files, one
 * per MQTT message, on `hermes/audioServer/<siteId>/audioFrame`. Each site is its own stream with
 * its own resampler and framer, so a 44.1 kHz satellite and a 16 kHz one both reach the stages as
 * 16 kHz frames. A payload that is not a WAV chunk is an `audio-unreadable` error naming the topic
 * (the hub logs it once per topic and drops it; the stream goes on).
 */
import type { AudioFrame } from '../types/audio.js';
import { SAMPLE_RATE_HZ } from '../types/audio.js';
import { HearthError } from '../types/errors.js';
import { Framer } from './framer.js';
import { floatToInt16, Resampler } from './resample.js';
import { decodeWav } from './wav.js';

const TOPIC = /^hermes\/audioServer\/([A-Za-z0-9_-]+)\/audioFrame$/;

interface Site { framer: Framer; resampler: Resampler | undefined; rateHz: number }

export class HermesAudio {
  private readonly sites = new Map<string, Site>();

  constructor(private readonly siteIds: readonly string[]) {}

  /** MQTT subscriptions, one per configured site (never a wildcard over every satellite). */
  topics(): string[] {
    return this.siteIds.map((id) => `hermes/audioServer/${id}/audioFrame`);
  }

  /** Frames completed by one audioFrame message, or undefined when the topic is not ours. */
  handle(topic: string, payload: Uint8Array): { siteId: string; frames: AudioFrame[] } | undefined {
    const m = TOPIC.exec(topic);
    if (!m || !this.siteIds.includes(m[1]!)) return undefined;
    const siteId = m[1]!;
    const { info, mono } = decodeWav(payload, `MQTT ${topic}`);
    if (info.frames > 48000) throw new HearthError('audio-unreadable', 'input', `MQTT ${topic}: an audio frame of ${info.frames} samples is too long (Hermes frames are small chunks)`, { topic });
    let site = this.sites.get(siteId);
    if (!site || site.rateHz !== info.sampleRateHz) {
      // A satellite that changes its rate starts a fresh resampler; its framer (and stream time) carries on.
      site = { framer: site?.framer ?? new Framer(), rateHz: info.sampleRateHz, resampler: info.sampleRateHz === SAMPLE_RATE_HZ ? undefined : new Resampler(info.sampleRateHz, SAMPLE_RATE_HZ) };
      this.sites.set(siteId, site);
    }
    const at16k = site.resampler ? site.resampler.push(mono) : mono;
    return { siteId, frames: site.framer.push(floatToInt16(at16k)) };
  }
}
