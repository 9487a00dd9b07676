/** Pipeline events (after Home Assistant's assist pipeline): one start/end pair per stage, then run-end. */
import type { StageTrace, TurnResult } from '../types/pipeline.js';

export interface PipelineEvents {
  'stage-start': { readonly turnId: string; readonly stage: string; readonly input: unknown };
  'stage-end': { readonly turnId: string; readonly trace: StageTrace };
  error: { readonly turnId: string; readonly stage: string; readonly code: string; readonly message: string };
  'run-end': TurnResult;
}

/** The text path, in order. The audio issue adds wake, vad and asr in front of these. */
export const TEXT_STAGES = ['rewrite', 'nlu', 'resolve', 'policy', 'act', 'respond'] as const;
export type StageName = (typeof TEXT_STAGES)[number];
