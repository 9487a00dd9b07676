/**
 * Every intent the hub knows, one typed list: Home Assistant's names (home-assistant/intents) for what people ask,
 * and Hearth's own for the dialogue around them. A misspelt intent anywhere is a compile error.
 */
export const HASS_INTENTS = [
  'HassTurnOn', 'HassTurnOff', 'HassToggle', 'HassLightSet', 'HassSetPosition', 'HassGetState', 'HassClimateGetTemperature',
  'HassClimateSetTemperature', 'HassGetCurrentTime', 'HassGetCurrentDate', 'HassGetWeather', 'HassNevermind', 'HassRespond',
  'HassVacuumStart', 'HassVacuumReturnToBase', 'HassSetVolume', 'HassMediaPause', 'HassMediaUnpause', 'HassMediaNext',
  'HassMediaPrevious', 'HassMediaSearchAndPlay', 'HassStartTimer', 'HassCancelTimer', 'HassCancelAllTimers',
  'HassIncreaseTimer', 'HassDecreaseTimer', 'HassPauseTimer', 'HassUnpauseTimer', 'HassTimerStatus', 'HassListAddItem',
  'HassListCompleteItem', 'HassShoppingListAddItem', 'HassShoppingListCompleteItem', 'HassSetVolumeRelative', 'HassMediaPlayerMute',
  'HassMediaPlayerUnmute', 'HassFanSetSpeed', 'HassLawnMowerStartMowing', 'HassLawnMowerDock', 'HassBroadcast',
] as const;

/** The dialogue: answers to the hub's questions, taught concepts ("study mode"), and intents of the household's own sentences (HearthCustom). */
export const HEARTH_INTENTS = ['HearthYes', 'HearthNo', 'HearthDigits', 'HearthApplyConcept', 'HearthForgetConcept', 'HearthDescribeConcept', 'HearthCustom'] as const;

export type HassIntent = (typeof HASS_INTENTS)[number];
export type HearthIntent = (typeof HEARTH_INTENTS)[number];
export type IntentName = HassIntent | HearthIntent;
