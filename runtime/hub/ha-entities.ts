/**
 * The hub as a Home Assistant device over MQTT discovery: the configs (retained, one per entity, under
 * `<discoveryPrefix>/<component>/hearth_<hubId>/<object>/config`), all sharing the device block and the hub's status
 * topic as availability, so HA shows the hub unavailable when its last will fires. Sensors read one retained JSON state
 * message; the switch, select and button command topics are the hub's own API (api.ts).
 */
export interface HaEntityConfig { readonly topic: string; readonly component: string; readonly objectId: string; readonly config: Record<string, unknown> }

export interface HaEntityTopics {
  readonly state: string;
  readonly status: string;
  readonly mute: string;
  readonly muteSet: string;
  readonly wakeWord: string;
  readonly wakeWordSet: string;
  readonly learnRun: string;
}

export const haEntityTopics = (prefix: string): HaEntityTopics => ({
  state: `${prefix}/ha/state`, status: `${prefix}/status`, mute: `${prefix}/mute`, muteSet: `${prefix}/mute/set`,
  wakeWord: `${prefix}/wake_word`, wakeWordSet: `${prefix}/wake_word/set`, learnRun: `${prefix}/learn/run`,
});

/** The state the sensors read (retained on `<prefix>/ha/state`). */
export interface HaState {
  readonly last_request: string;
  readonly last_reply: string;
  readonly last_wake_word: string;
  readonly last_wake_score: number | null;
  readonly turns_today: number;
  /** Percent of logged requests labelled defects by implicit feedback (as `hearth report` counts them). */
  readonly defect_rate_pct: number | null;
}

/** Every select option: each wake word alone, or all of them. */
export const ALL_WAKE_WORDS = 'all';

export function haEntityConfigs(hubId: string, discoveryPrefix: string, topics: HaEntityTopics, wakeWords: readonly string[], version: string): HaEntityConfig[] {
  const node = `hearth_${hubId}`;
  const device = { identifiers: [node], name: `Hearth ${hubId}`, manufacturer: 'Hearth', model: 'Hearth voice hub', sw_version: version };
  const base = (objectId: string, name: string) => ({
    name, unique_id: `${node}_${objectId}`, object_id: `${node}_${objectId}`, device,
    availability_topic: topics.status, payload_available: 'online', payload_not_available: 'offline',
  });
  const sensor = (objectId: keyof HaState, name: string, extra: Record<string, unknown> = {}) => ({
    component: 'sensor', objectId, config: { ...base(objectId, name), state_topic: topics.state, value_template: `{{ value_json.${objectId} }}`, ...extra },
  });
  const list = [
    sensor('last_request', 'Last request', { icon: 'mdi:account-voice' }),
    sensor('last_reply', 'Last reply', { icon: 'mdi:message-reply-text' }),
    sensor('last_wake_word', 'Last wake word', { icon: 'mdi:microphone-message' }),
    sensor('last_wake_score', 'Last wake word score', { state_class: 'measurement' }),
    sensor('turns_today', 'Requests today', { state_class: 'total_increasing', icon: 'mdi:counter' }),
    sensor('defect_rate_pct', 'Defect rate', { unit_of_measurement: '%', state_class: 'measurement' }),
    { component: 'switch', objectId: 'mute', config: { ...base('mute', 'Mute listening'), command_topic: topics.muteSet, state_topic: topics.mute, payload_on: 'ON', payload_off: 'OFF', icon: 'mdi:microphone-off' } },
    { component: 'select', objectId: 'wake_word', config: { ...base('wake_word', 'Active wake word'), command_topic: topics.wakeWordSet, state_topic: topics.wakeWord, options: [ALL_WAKE_WORDS, ...wakeWords] } },
    { component: 'button', objectId: 'learn', config: { ...base('learn', 'Run learning job'), command_topic: topics.learnRun, payload_press: 'PRESS', icon: 'mdi:school' } },
  ];
  return list.map((e) => ({ ...e, topic: `${discoveryPrefix}/${e.component}/${node}/${e.objectId}/config` }));
}
