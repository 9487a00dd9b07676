/** `hearth say --speak | --wav file`: the hub's answer in the hub's voice (config `tts`), on this speaker or in a WAV. */
import { writeFileSync } from 'node:fs';
import type { HearthConfig } from '../config/config.js';
import { encodeWav } from '../audio/wav.js';
import { TtsEngine } from '../tts/engine.js';
import { playWithAplay } from '../tts/player.js';
import { HearthError } from '../types/errors.js';

export async function speakReply(config: HearthConfig, speech: string, wavPath: string | undefined): Promise<void> {
  const t = config.tts;
  if (t.engine === 'none') throw new HearthError('tts-off', 'config', 'tts.engine is none: set it to flite or espeak-ng to hear replies.');
  const tts = new TtsEngine({ engine: t.engine, voice: t.voice, rateWpm: t.rateWpm });
  if (wavPath) {
    const audio = await tts.whole(speech);
    try { writeFileSync(wavPath, encodeWav(audio.samples, audio.rateHz)); } catch (err) {
      throw new HearthError('wav-write-failed', 'environment', `Cannot write ${wavPath}: ${(err as Error).message}`, { path: wavPath }, err);
    }
    return;
  }
  await playWithAplay(tts.synthesize(speech), config.audio.playbackDevice);
}
