/**
 * Intent rules, tried in order; the first that matches wins. Each is a small function over the
 * parsed sentence (see parse.ts) that returns Home Assistant's intent name and slots. Written for
 * Hearth from how people phrase home requests; measured with `hearth nlu-eval`.
 */
import type { Rule } from './rules/common.js';
import { conceptTalk, digits, drinks, lists, nevermind, respond, timeDate, timers, unknownSetting, weather, yesNo } from './rules/conversation.js';
import { broadcast, media } from './rules/media.js';
import { climateGet, climateSet, fanSpeed, getState, lawnMower, lightSet, onOff, setPosition, vacuum } from './rules/devices.js';

export type { Rule, RuleHit } from './rules/common.js';
export { duration } from './durations.js';

/** Order matters: specific shapes before the broad on/off and question rules. */
export const RULES: readonly [string, Rule][] = [
  ['digits', digits], ['yes-no', yesNo], ['nevermind', nevermind], ['respond', respond], ['broadcast', broadcast], ['time-date', timeDate],
  ['weather', weather], ['timers', timers], ['lists', lists], ['climate-set', climateSet], ['climate-get', climateGet],
  ['position', setPosition], ['fan-speed', fanSpeed], ['state', getState], ['media', media], ['light-set', lightSet],
  ['vacuum', vacuum], ['lawn-mower', lawnMower], ['drinks', drinks], ['on-off', onOff], ['unknown-setting', unknownSetting], ['concept-talk', conceptTalk],
];
