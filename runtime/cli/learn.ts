/**
 * `hearth learn`: the nightly learning job, now, on the hub's database; prints what it found.
 * `hearth learn --voices [--engine pocketsphinx|amortized] [--rollback]`: adapts the ASR engines to the household's kept
 * turns, or undoes the last adaptation.
 */
import { join } from 'node:path';
import type { HearthConfig } from '../config/config.js';
import { openDatabase } from '../store/db.js';
import { RewriteCache, rewriteSensitiveWords } from '../rewrite/cache.js';
import { runLearning } from '../learning/learn.js';
import { VoiceTurns } from '../learning/voices/kept.js';
import { adaptPocketsphinx } from '../learning/voices/adapt.js';
import { adaptAmortized } from '../learning/voices/amortized.js';
import { HearthError } from '../types/errors.js';
import { Adaptations } from '../learning/voices/versions.js';
import { DEBIAN_MODEL } from '../asr/pocketsphinx.js';

export function learnCommand(config: HearthConfig, out: (s: string) => void): number {
  const { db } = openDatabase(join(config.dataDir, 'hearth.db'));
  try {
    const cache = new RewriteCache(db, { ...config.rewrite, sensitiveWords: rewriteSensitiveWords(config.policy.sensitiveNames) });
    const s = runLearning(db, cache, config.learning);
    out(`${s.turns} turns, ${s.defects} defects, ${s.chains} rephrase chains; ${s.mined} rewrites mined, ${s.added} stored as personal, ${s.refused} refused (sensitive)`);
    for (const r of cache.list('personal')) out(`  ${r.id}  "${r.source}" -> "${r.target}"  p ${r.probability.toFixed(2)}  support ${r.support}`);
    return 0;
  } finally {
    db.close();
  }
}

const ADAPTABLE = ['pocketsphinx', 'amortized'] as const;
type Adaptable = (typeof ADAPTABLE)[number];

/** `--engine` names one; otherwise both are adapted, and a rollback is of the engine the hub runs. */
export async function learnVoicesCommand(config: HearthConfig, rollback: boolean, out: (s: string) => void, engine?: string): Promise<number> {
  if (engine !== undefined && !(ADAPTABLE as readonly string[]).includes(engine)) throw new HearthError('cli-usage', 'config', `--engine ${engine}: only ${ADAPTABLE.join(' and ')} adapt to voices.`);
  if (rollback) {
    const which = (engine ?? config.asr.engine) as Adaptable;
    if (!(ADAPTABLE as readonly string[]).includes(which)) throw new HearthError('cli-usage', 'config', `The hub runs ${config.asr.engine}, which is not adapted; name one: --engine ${ADAPTABLE.join('|')}.`);
    const r = new Adaptations(config.dataDir, which).rollback();
    out(r.from === undefined ? `No ${which} adaptation is active; it runs as shipped.`
      : `Rolled back ${which} adaptation v${r.from}; now ${r.to === undefined ? 'it runs as shipped' : `v${r.to} is active`} (the hub takes it at its next start).`);
    return 0;
  }
  const { db } = openDatabase(join(config.dataDir, 'hearth.db'));
  try {
    const voices = new VoiceTurns(db, config.dataDir, config.learning);
    if (!config.learning.keepVoiceTurns && voices.count() === 0) out('learning.keepVoiceTurns is off, so no turns are kept to adapt to.');
    const next = 'the hub takes it at its next start; undo: hearth learn --voices --rollback';
    if (engine !== 'amortized') {
      const r = await adaptPocketsphinx(voices, config.dataDir, DEBIAN_MODEL, config.learning);
      const check = (c: { correct: number; sure: number; total: number; logLikelihoodPerFrame: number }) => `${c.correct}/${c.total} right (${c.sure} sure), ${c.logLikelihoodPerFrame.toFixed(2)} log-likelihood per frame`;
      out(`pocketsphinx: ${r.turns} kept turns worked, ${r.heldBack} held back for the check.`);
      if (r.before && r.candidates) out(`  held back: now ${check(r.before)}; MLLR ${check(r.candidates.mllr)}; MAP ${check(r.candidates.map)}`);
      out(r.kept ? `  Kept ${r.method!.toUpperCase()} as pocketsphinx adaptation v${r.version} (${next}).` : `  Not kept: ${r.why}.`);
    }
    if (engine !== 'pocketsphinx') {
      const r = await adaptAmortized(voices, config.dataDir, config.learning);
      const check = (c: { correct: number; total: number; lossPerFrame: number }) => `${c.correct}/${c.total} right (greedy), CTC loss ${c.lossPerFrame.toFixed(3)} per frame`;
      out(`amortized: ${r.turns} kept turns it can spell worked, ${r.heldBack} held back for the check.`);
      if (r.before && r.after) out(`  held back: now ${check(r.before)}; adapted ${check(r.after)}`);
      out(r.kept ? `  Kept as amortized adaptation v${r.version} (${next}).` : `  Not kept: ${r.why}.`);
    }
    return 0;
  } finally {
    db.close();
  }
}
