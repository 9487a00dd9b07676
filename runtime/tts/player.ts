/**
 * The hub's speaker: aplay (alsa-utils) reads raw PCM from stdin, so the first sentence plays while the next one is
 * still being made. Resolves when aplay has played everything and exited.
 */
import { spawn } from 'node:child_process';
import { HearthError } from '../types/errors.js';
import type { TtsChunk } from './engine.js';

export async function playWithAplay(audio: AsyncIterable<TtsChunk>, device: string | null, onChunk: (audioMsSoFar: number) => void = () => undefined): Promise<void> {
  let audioMs = 0;
  let player: ReturnType<typeof spawn> | undefined;
  let exited: Promise<void> = Promise.resolve();
  for await (const c of audio) {
    if (!player) {
      const p = spawn('aplay', ['-q', '-t', 'raw', '-f', 'S16_LE', '-r', String(c.rateHz), '-c', '1', ...(device ? ['-D', device] : [])], { stdio: ['pipe', 'ignore', 'pipe'] });
      let err = '';
      p.stderr!.on('data', (b: Buffer) => { err += b.toString(); });
      exited = new Promise((resolve, reject) => {
        p.on('error', (e: NodeJS.ErrnoException) => reject(new HearthError(e.code === 'ENOENT' ? 'player-missing' : 'player-failed', 'environment',
          e.code === 'ENOENT' ? 'audio.player is aplay, but aplay is not installed (Debian package alsa-utils).' : `aplay could not start: ${e.message}`)));
        p.on('close', (code) => (code === 0 ? resolve() : reject(new HearthError('player-failed', 'environment', `aplay exited with ${code}: ${err.trim().slice(0, 200)} (audio.playbackDevice?)`))));
      });
      p.stdin!.on('error', () => undefined); // a player that died is reported through `exited`
      player = p;
    }
    audioMs += (c.samples.length * 1000) / c.rateHz;
    onChunk(audioMs);
    player.stdin!.write(Buffer.from(c.samples.buffer, c.samples.byteOffset, c.samples.byteLength));
  }
  player?.stdin!.end();
  await exited;
}
