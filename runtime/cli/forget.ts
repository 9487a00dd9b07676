/**
 * `hearth forget --all`: erases what the hub learned and was taught (concepts, rewrites of every
 * layer, the turn log that learning reads, kept voice turns and the adaptations made from them), in one transaction, and keeps the config and the safety
 * state (PIN failures, which locks and doors were adopted at setup). A running hub sees the change
 * on its next request.
 */
import { join } from 'node:path';
import type { HearthConfig } from '../config/config.js';
import { openDatabase } from '../store/db.js';
import { HearthError } from '../types/errors.js';
import { forgetVoices } from '../learning/voices/kept.js';

export const LEARNED_TABLES = ['concepts', 'rewrites', 'interactions', 'feedback_events', 'voice_turns'] as const;

export function forgetAll(config: HearthConfig, all: boolean, out: (s: string) => void): number {
  if (!all) throw new HearthError('cli-usage', 'config', 'Usage: hearth forget --all   (erases concepts, rewrites and the turn log; keeps the config)');
  const file = join(config.dataDir, 'hearth.db');
  const { db } = openDatabase(file);
  try {
    const counts = db.transaction(() => LEARNED_TABLES.map((t) => `${db.prepare(`DELETE FROM ${t}`).run().changes} ${t}`))();
    db.exec('VACUUM'); // the erased rows leave the file, not just the index
    const audio = forgetVoices(config.dataDir);
    out(`Erased ${counts.join(', ')} from ${file}, ${audio} kept recordings and every voice adaptation. The config was not touched.`);
    return 0;
  } finally {
    db.close();
  }
}
