/** Run events (after Home Assistant's assist pipeline): run-start, one start/end pair per stage run, error, run-end. */
import type { StageTrace, TurnResult, TurnSource } from '../types/pipeline.js';

export interface PipelineEvents {
  'run-start': { readonly turnId: string; readonly source: TurnSource; readonly atMs: number };
  'stage-start': { readonly turnId: string; readonly stage: string; readonly input: unknown };
  'stage-end': { readonly turnId: string; readonly trace: StageTrace };
  error: { readonly turnId: string; readonly stage: string; readonly code: string; readonly message: string };
  'run-end': TurnResult;
}

/** What a spoken request goes through before its words exist: run by the listener, traced into the same run. */
export const AUDIO_STAGES = ['wake', 'vad', 'asr'] as const;
/** The text path, in order: typed text, MQTT text and recognised speech all take it. */
export const TEXT_STAGES = ['rewrite', 'nlu', 'resolve', 'policy', 'act', 'respond'] as const;
/** Every stage of a run, in order (a typed request starts at rewrite). */
export const STAGES = [...AUDIO_STAGES, ...TEXT_STAGES] as const;
export type StageName = (typeof STAGES)[number];
