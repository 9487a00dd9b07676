/** The household simulator end to end: after learning, the hub gets more of the held-out requests right and breaks none. */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../tools/sim/simulate.js';
import { week } from '../../tools/sim/household.js';

describe('household simulator', () => {
  it('makes the same weeks from the same seed', () => {
    expect(week(7, 0, 3)).toEqual(week(7, 0, 3));
    expect(week(7, 0, 3)).not.toEqual(week(8, 0, 3));
  });

  it('learning from three weeks cuts held-out defects without a loss', async () => {
    const r = await simulate(3, 1);
    expect(r.train['added']).toBeGreaterThan(0);
    expect(r.heldOut.defectsAfter).toBeLessThan(r.heldOut.defectsBefore);
    expect(r.heldOut.losses).toBe(0);
    // The members' reactions reach the hub as real signals: barge-ins and devices switched back by hand.
    expect(r.train['bargeIns']).toBeGreaterThan(0);
    expect(r.train['reversals']).toBeGreaterThan(0);
    // ...and the hub's log labels those turns by them (a reversal or barge-in on a failed turn may be outranked by "no")
    expect(r.train['loggedBargeIns']).toBeGreaterThan(0);
    expect(r.train['loggedReversals']).toBeGreaterThan(0);
  }, 60000);
});
