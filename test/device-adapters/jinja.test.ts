/**
 * The Jinja subset of Home Assistant's MQTT templates (device-adapters/homeassistant/jinja.ts), on templates as the
 * bridges and HA's docs write them; forms it does not evaluate are refused at compile time, never guessed.
 */
import { describe, expect, it } from 'vitest';
import { compileJinja } from '../../device-adapters/homeassistant/jinja.js';

const scalars = (...names: string[]) => Object.fromEntries(names.map((n) => [n, 'scalar' as const]));
const state = { value: 'scalar', value_json: 'object' } as const;

describe('jinja subset', () => {
  it('renders HA\'s template-light command_on_template with whitespace control, with and without brightness and colour', () => {
    // https://www.home-assistant.io/integrations/light.mqtt/ (template schema example)
    const src = `{"state": "on"
  {%- if brightness is defined -%}
  , "brightness": {{ brightness }}
  {%- endif -%}
  {%- if red is defined and green is defined and blue is defined -%}
  , "color": [{{ red }}, {{ green }}, {{ blue }}]
  {%- endif -%}
  }`;
    const t = compileJinja(src, scalars('state', 'brightness', 'red', 'green', 'blue'))!;
    expect(JSON.parse(t.render({ state: 'on' }))).toEqual({ state: 'on' });
    expect(JSON.parse(t.render({ state: 'on', brightness: 128, red: 255, green: 0, blue: 10 }))).toEqual({ state: 'on', brightness: 128, color: [255, 0, 10] });
  });

  it('renders position templates from Shelly\'s discovery script and zigbee2mqtt-style JSON', () => {
    expect(compileJinja('pos,{{ position }}', scalars('position'))!.render({ position: 40 })).toBe('pos,40');
    expect(compileJinja('{ "position_l7": {{ position }} }', scalars('position'))!.render({ position: 40 })).toBe('{ "position_l7": 40 }');
    expect(compileJinja('{{ (position * 2.55) | round(0) | int }}', scalars('position'))!.value({ position: 40 })).toBe(102);
    expect(compileJinja("{% if position > 50 %}up{% elif position > 0 %}mid{% else %}down{% endif %}", scalars('position'))!.render({ position: 30 })).toBe('mid');
  });

  it('reads state templates: attribute and index access, conditionals, filters, defaults', () => {
    const v = (src: string, payload: unknown) => compileJinja(src, state)!.value({ value: JSON.stringify(payload), value_json: payload });
    expect(v("{{ 'ON' if value_json.state == 'on' else 'OFF' }}", { state: 'on' })).toBe('ON');
    expect(v('{{ value_json.temp | float(0) | round(1) }}', { temp: '21.46' })).toBe(21.5);
    expect(v("{{ value_json['sensor-1'][0].t }}", { 'sensor-1': [{ t: 3 }] })).toBe(3);
    expect(v('{{ value_json.x if value_json.x is defined else 0 }}', {})).toBe(0);
    expect(v("{{ value_json.missing | default('n/a') }}", {})).toBe('n/a');
    expect(v('{{ value_json.state | lower }}', { state: 'LOCKED' })).toBe('locked');
    expect(v('{{ not value_json.on }}', { on: false })).toBe(true);
  });

  it('refuses what it cannot evaluate: function calls, loops, unknown filters, attributes of a string, unknown names', () => {
    for (const src of ["{{ states('sensor.x') }}", '{% for c in value %}{{ c }}{% endfor %}', "{{ value | regex_replace('a', 'b') }}",
      '{{ value.x }}', '{{ now() }}', '{{ other }}', '{% if value %}no end', '{{ value '])
      expect(compileJinja(src, state), src).toBeUndefined();
  });
});
