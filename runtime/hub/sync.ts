/**
 * The global rewrite cache from the sync service (sync.url), and, with the household's opt-in (sync.upload), what this
 * hub learned sent up first: enrolled with an operator's token, signed with the hub's key.
 */
import type { HearthConfig } from '../config/config.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';
import type { RewriteCache } from '../rewrite/cache.js';
import type { Lexicon } from '../nlu/lexicon.js';
import { SyncScheduler, syncOnce } from '../sync/client.js';
import { enrol, shareablePairs, upload } from '../sync/upload.js';
import type { Component } from './components.js';

export class HubSync implements Component {
  readonly name = 'sync';
  private scheduler: SyncScheduler | undefined;

  constructor(private readonly config: HearthConfig['sync'], private readonly db: () => Db, private readonly rewrites: () => RewriteCache | undefined,
    private readonly lexicon: () => Lexicon, private readonly nowMs: () => number, private readonly log: Logger) {}

  start(): void {
    const cache = this.rewrites();
    if (!this.config.url || !cache) return;
    this.scheduler = new SyncScheduler(async () => {
      if (this.config.upload) await this.uploadLearned();
      const r = await syncOnce(this.db(), cache, this.config, this.nowMs());
      if (r.kind === 'applied') this.log.info({ version: r.state.version }, 'global rewrites updated from the sync service');
    }, this.config.intervalS, this.log);
    this.scheduler.start();
  }

  stop(): void {
    this.scheduler?.stop();
  }

  /** Sends what this hub learned (only with sync.upload: the household's opt-in); how many pairs went up. */
  async uploadLearned(): Promise<number> {
    const cache = this.rewrites();
    if (!this.config.url || !this.config.upload || !cache) return 0;
    const lex = this.lexicon();
    const pairs = shareablePairs(cache, lex.devices.flatMap((d) => [d.name, ...d.aliases]), lex.areas);
    await enrol(this.db(), this.config.url, this.config.enrollToken, this.config.timeoutMs);
    return upload(this.db(), this.config.url, pairs, Date.now(), this.config.timeoutMs); // the wall clock: the service checks it
  }
}
