/**
 * The household's custom sentences folder (nlu.customSentencesDir), read at start and again within 2 s of any change
 * (files added, edited, removed): no restart. A file with a mistake is logged once per change, naming file and line,
 * and left out; the rest keep working. Polling, not fs.watch: it behaves the same on every filesystem a hub uses.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import { loadCustomFolder } from '../nlu/templates/custom.js';
import { CustomSentences } from '../nlu/templates/sentences.js';
import type { Component } from './components.js';

const POLL_MS = 2000;

export class HubCustomSentences implements Component {
  readonly name = 'custom-sentences';
  readonly sentences = new CustomSentences();
  private signature = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly dir: string, private readonly log: Logger) {}

  start(): void {
    this.check();
    this.timer = setInterval(() => this.check(), POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Reloads when the folder's files changed (names, sizes, times); true when it did. */
  check(): boolean {
    let sig = '';
    try {
      sig = readdirSync(this.dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => { const st = statSync(join(this.dir, f)); return `${f}:${st.size}:${st.mtimeMs}`; }).join('|');
    } catch { sig = ''; }
    if (sig === this.signature) return false;
    this.signature = sig;
    const { set, errors } = loadCustomFolder(this.dir);
    for (const e of errors) this.log.error({ code: 'custom-sentences-invalid' }, e);
    this.sentences.replace(set);
    this.log.info({ dir: this.dir, sentences: set.sentences.length, errors: errors.length }, 'custom sentences loaded');
    return true;
  }
}
