/**
 * Fixed English words that name kinds of devices, measures and colours. Written for Hearth; the
 * slot values are Home Assistant's (domain and device_class names).
 */
export interface KindWord { readonly domain: string; readonly deviceClass?: string }

/** Words for kinds of device (plural forms are added by the lexicon). */
export const DEVICE_KIND_WORDS: Record<string, KindWord> = {
  light: { domain: 'light' }, lights: { domain: 'light' }, lamp: { domain: 'light' }, lighting: { domain: 'light' },
  bulb: { domain: 'light' }, 'ceiling light': { domain: 'light' }, 'light bulb': { domain: 'light' },
  fan: { domain: 'fan' }, switch: { domain: 'switch' }, plug: { domain: 'switch' }, 'smart plug': { domain: 'switch' },
  socket: { domain: 'switch' }, outlet: { domain: 'switch' }, 'plug socket': { domain: 'switch' },
  curtain: { domain: 'cover', deviceClass: 'curtain' }, drape: { domain: 'cover', deviceClass: 'curtain' },
  blind: { domain: 'cover', deviceClass: 'blind' }, shade: { domain: 'cover', deviceClass: 'shade' },
  shutter: { domain: 'cover', deviceClass: 'shutter' }, window: { domain: 'cover', deviceClass: 'window' },
  awning: { domain: 'cover', deviceClass: 'awning' }, 'garage door': { domain: 'cover', deviceClass: 'garage' },
  garage: { domain: 'cover', deviceClass: 'garage' }, gate: { domain: 'cover', deviceClass: 'gate' },
  door: { domain: 'lock' }, lock: { domain: 'lock' },
  thermostat: { domain: 'climate' }, heating: { domain: 'climate' }, heater: { domain: 'climate' }, 'air conditioner': { domain: 'climate' },
  tv: { domain: 'media_player' }, television: { domain: 'media_player' }, speaker: { domain: 'media_player' },
  'media player': { domain: 'media_player' }, music: { domain: 'media_player' },
  vacuum: { domain: 'vacuum' }, 'vacuum cleaner': { domain: 'vacuum' }, 'robot vacuum': { domain: 'vacuum' },
  'robot vacuum cleaner': { domain: 'vacuum' }, hoover: { domain: 'vacuum' }, robot: { domain: 'vacuum' },
  valve: { domain: 'valve' }, cover: { domain: 'cover' }, mower: { domain: 'lawn_mower' }, 'lawn mower': { domain: 'lawn_mower' },
  lawnmower: { domain: 'lawn_mower' }, scene: { domain: 'scene' }, script: { domain: 'script' },
};

/** Measures a sensor reports, by the words people use for them. */
export const MEASURE_WORDS: Record<string, string> = {
  temperature: 'temperature', temp: 'temperature', humidity: 'humidity', 'relative humidity': 'humidity',
  battery: 'battery', 'battery level': 'battery', pressure: 'pressure', 'air pressure': 'atmospheric_pressure',
  'air quality': 'aqi', 'air quality index': 'aqi', co2: 'carbon_dioxide', 'carbon dioxide': 'carbon_dioxide',
  'carbon monoxide': 'carbon_monoxide', co: 'carbon_monoxide', illuminance: 'illuminance', 'light level': 'illuminance',
  power: 'power', energy: 'energy', voltage: 'voltage', current: 'current', weight: 'weight', speed: 'speed',
  'wind speed': 'wind_speed', distance: 'distance', mileage: 'distance', duration: 'duration', frequency: 'frequency',
  size: 'data_size', ozone: 'ozone', o3: 'ozone', 'sulphur dioxide': 'sulphur_dioxide', so2: 'sulphur_dioxide',
  'nitrogen dioxide': 'nitrogen_dioxide', no2: 'nitrogen_dioxide', moisture: 'moisture', rainfall: 'precipitation',
  'rainfall intensity': 'precipitation_intensity', 'organic compounds': 'volatile_organic_compounds',
  gas: 'gas', 'signal strength': 'signal_strength', volume: 'volume',
};

/** Binary sensor classes: the word, and which adjectives mean on and off (HA binary_sensor semantics). */
export const BINARY_CLASS_WORDS: Record<string, { deviceClass: string; on: string[]; off: string[] }> = {
  motion: { deviceClass: 'motion', on: ['detected', 'triggered', 'on', 'any'], off: ['clear'] },
  occupancy: { deviceClass: 'occupancy', on: ['detected', 'triggered', 'occupied', 'on'], off: ['clear', 'empty'] },
  smoke: { deviceClass: 'smoke', on: ['detected', 'triggered', 'on'], off: ['clear'] },
  leak: { deviceClass: 'moisture', on: ['wet', 'detected', 'any', 'flooded'], off: ['dry'] },
  'water sensor': { deviceClass: 'moisture', on: ['wet', 'detected', 'triggered'], off: ['dry'] },
  'leak sensor': { deviceClass: 'moisture', on: ['wet', 'detected', 'triggered'], off: ['dry'] },
  noise: { deviceClass: 'sound', on: ['detected', 'any'], off: ['clear'] },
  'sound sensor': { deviceClass: 'sound', on: ['detected', 'triggered', 'on'], off: ['clear'] },
  'gas sensor': { deviceClass: 'gas', on: ['detected', 'triggered', 'on'], off: ['clear'] },
  'carbon monoxide sensor': { deviceClass: 'carbon_monoxide', on: ['detected', 'triggered', 'on'], off: ['clear'] },
  'smoke sensor': { deviceClass: 'smoke', on: ['detected', 'triggered', 'on'], off: ['clear'] },
  'motion sensor': { deviceClass: 'motion', on: ['detected', 'triggered', 'on'], off: ['clear'] },
  'occupancy sensor': { deviceClass: 'occupancy', on: ['detected', 'triggered', 'on'], off: ['clear'] },
  opening: { deviceClass: 'opening', on: ['open'], off: ['closed', 'shut'] },
  update: { deviceClass: 'update', on: ['available', 'any'], off: [] },
};

/** Adjectives that answer "is it ...?" for a domain, mapped to the state slot value. */
export const STATE_WORDS: Record<string, Record<string, string>> = {
  light: { on: 'on', off: 'off' }, switch: { on: 'on', off: 'off' }, fan: { on: 'on', off: 'off', running: 'on' },
  lock: { locked: 'locked', unlocked: 'unlocked', open: 'unlocked' },
  cover: { open: 'open', closed: 'closed', shut: 'closed' },
  person: { home: 'home', 'at home': 'home', away: 'not_home', out: 'not_home' },
};

export const COLORS: Record<string, readonly [number, number, number]> = {
  red: [255, 0, 0], green: [0, 255, 0], blue: [0, 0, 255], yellow: [255, 255, 0], orange: [255, 165, 0],
  purple: [128, 0, 128], pink: [255, 192, 203], white: [255, 255, 255], cyan: [0, 255, 255], magenta: [255, 0, 255],
  violet: [238, 130, 238], turquoise: [64, 224, 208], gold: [255, 215, 0], brown: [165, 42, 42], indigo: [75, 0, 130],
  lavender: [230, 230, 250], teal: [0, 128, 128], lime: [0, 255, 0], amber: [255, 191, 0], crimson: [220, 20, 60],
};

/** Colour temperatures, in mired, for the white words people use. */
export const WHITE_TEMPERATURES_MIRED: Record<string, number> = {
  'cool white': 153, 'cold white': 153, 'daylight': 160, 'bright white': 180, 'neutral white': 250,
  'warm white': 370, 'soft white': 400, 'candlelight': 454,
};

export const MEDIA_CLASS_WORDS: Record<string, string> = {
  track: 'track', song: 'track', album: 'album', playlist: 'playlist', podcast: 'podcast', movie: 'movie', film: 'movie',
  'tv show': 'tv_show', show: 'tv_show', series: 'tv_show', artist: 'artist', band: 'artist',
};

/**
 * Carrier and function words of commands: never part of a device name on their own. Near-miss name
 * matching skips them, and words left over after tagging that are not in here are the name of
 * something the home does not have ("turn on the fish tank").
 */
export const CARRIER_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'the', 'to', 'on', 'off', 'in', 'of', 'at', 'for', 'and', 'or', 'my', 'our', 'your', 'is', 'are', 'it', 'that', 'this',
  'turn', 'switch', 'set', 'make', 'put', 'please', 'what', 'how', 'can', 'could', 'you', 'me', 'i', 'up', 'down', 'open', 'close',
  'lock', 'unlock', 'start', 'stop', 'toggle', 'dim', 'brighten', 'all', 'every', 'here', 'there', 'now', 'with', 'by',
  'percent', 'degrees', 'mode', 'state', 'status', 'be', 'get', 'give', 'tell', 'show', 'check', 'was', 'were', 'do', 'does',
  'power', 'activate', 'deactivate', 'enable', 'disable', 'shut', 'kill', 'cut', 'again', 'too', 'back', 'some', 'them', 'those',
  'they', 'will', 'would', 'want', 'need', 'like', 'let', 'us', 'hey', 'ok', 'okay', 'thanks', 'thank', 'just', 'also', 'then',
])
