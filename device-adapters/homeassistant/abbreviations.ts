/**
 * Home Assistant MQTT discovery abbreviations (the commonly used part of
 * homeassistant/components/mqtt/abbreviations.py) and the `~` base-topic rule.
 * https://www.home-assistant.io/integrations/mqtt/#discovery-messages
 */
import { isObject, type JsonObject } from '../parse.js';

const ABBREVIATIONS: Record<string, string> = {
  act_t: 'action_topic', avty: 'availability', avty_mode: 'availability_mode', avty_t: 'availability_topic',
  avty_tpl: 'availability_template', bri_cmd_t: 'brightness_command_topic', bri_scl: 'brightness_scale',
  bri_stat_t: 'brightness_state_topic', bri_val_tpl: 'brightness_value_template', clr_temp_cmd_t: 'color_temp_command_topic',
  clr_temp_stat_t: 'color_temp_state_topic', clr_temp_val_tpl: 'color_temp_value_template', cmd_t: 'command_topic',
  cmd_tpl: 'command_template', cmps: 'components', curr_temp_t: 'current_temperature_topic',
  curr_temp_tpl: 'current_temperature_template', dev: 'device', dev_cla: 'device_class', json_attr_t: 'json_attributes_topic',
  max_temp: 'max_temp', min_temp: 'min_temp', max_mirs: 'max_mireds', min_mirs: 'min_mireds', mode_cmd_t: 'mode_command_topic',
  mode_stat_t: 'mode_state_topic', mode_stat_tpl: 'mode_state_template', modes: 'modes', name: 'name', o: 'origin', obj_id: 'object_id',
  opt: 'optimistic', p: 'platform', pct_cmd_t: 'percentage_command_topic', pct_stat_t: 'percentage_state_topic',
  pl_arm_away: 'payload_arm_away', pl_arm_home: 'payload_arm_home', pl_avail: 'payload_available', pl_cls: 'payload_close',
  pl_disarm: 'payload_disarm', pl_lock: 'payload_lock', pl_not_avail: 'payload_not_available', pl_off: 'payload_off',
  pl_on: 'payload_on', pl_open: 'payload_open', pl_stop: 'payload_stop', pl_unlk: 'payload_unlock', pos_clsd: 'position_closed',
  pos_open: 'position_open', pos_t: 'position_topic', pos_tpl: 'position_template', rgb_cmd_t: 'rgb_command_topic',
  rgb_stat_t: 'rgb_state_topic', schema: 'schema', set_pos_t: 'set_position_topic', stat_clsd: 'state_closed',
  stat_closing: 'state_closing', stat_locked: 'state_locked', stat_off: 'state_off', stat_on: 'state_on',
  stat_open: 'state_open', stat_opening: 'state_opening', stat_t: 'state_topic', stat_tpl: 'state_template',
  stat_unlocked: 'state_unlocked', stat_val_tpl: 'state_value_template', sup_clrm: 'supported_color_modes',
  t: 'topic', temp_cmd_t: 'temperature_command_topic', temp_stat_t: 'temperature_state_topic',
  temp_stat_tpl: 'temperature_state_template', temp_unit: 'temperature_unit', uniq_id: 'unique_id',
  unit_of_meas: 'unit_of_measurement', val_tpl: 'value_template', pl_press: 'payload_press', ret: 'retain', qos: 'qos',
  stat_cla: 'state_class', ent_cat: 'entity_category', ic: 'icon', dflt_ent_id: 'default_entity_id',
  bri_cmd_tpl: 'brightness_command_template', clr_temp_cmd_tpl: 'color_temp_command_template', rgb_cmd_tpl: 'rgb_command_template',
  set_pos_tpl: 'set_position_template', tilt_cmd_t: 'tilt_command_topic', tilt_cmd_tpl: 'tilt_command_template',
  temp_cmd_tpl: 'temperature_command_template', mode_cmd_tpl: 'mode_command_template', pct_cmd_tpl: 'percentage_command_template',
  cmd_on_tpl: 'command_on_template', cmd_off_tpl: 'command_off_template', bri_tpl: 'brightness_template',
};

const DEVICE_ABBREVIATIONS: Record<string, string> = {
  cns: 'connections', ids: 'identifiers', name: 'name', mf: 'manufacturer', mdl: 'model', mdl_id: 'model_id',
  hw: 'hw_version', sw: 'sw_version', sa: 'suggested_area', sn: 'serial_number', via_device: 'via_device',
};

function expand(obj: JsonObject, table: Record<string, string>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) out[table[k] ?? k] = v;
  return out;
}

/** Expands abbreviations and the `~` base topic, recursively for device and components. */
export function normaliseConfig(raw: JsonObject): JsonObject {
  const cfg = expand(raw, ABBREVIATIONS);
  if (isObject(cfg['device'])) cfg['device'] = expand(cfg['device'], DEVICE_ABBREVIATIONS);
  if (isObject(cfg['components'])) {
    const comps: JsonObject = {};
    for (const [id, c] of Object.entries(cfg['components'])) if (isObject(c)) comps[id] = normaliseConfig(c);
    cfg['components'] = comps;
  }
  const base = typeof cfg['~'] === 'string' ? (cfg['~'] as string) : undefined;
  if (base !== undefined) {
    for (const [k, v] of Object.entries(cfg)) {
      if (typeof v !== 'string' || !(k.endsWith('_topic') || k === 'topic')) continue;
      if (v.startsWith('~')) cfg[k] = base + v.slice(1);
      else if (v.endsWith('~')) cfg[k] = v.slice(0, -1) + base;
    }
  }
  return cfg;
}
