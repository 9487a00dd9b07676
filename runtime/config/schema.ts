/**
 * The one configuration schema: every key with its default, unit and description. The loader fills
 * defaults from here, firmware-config/default-config.yaml documents every key (a test keeps the two
 * in step), and deep code only ever sees the frozen slice it is handed.
 */
interface Described { readonly description: string }
function str(description: string): Described & { readonly type: 'string' };
function str(description: string, def: null): Described & { readonly type: readonly ['string', 'null']; readonly default: null };
function str(description: string, def: string): Described & { readonly type: 'string'; readonly default: string };
function str(description: string, def?: string | null): Described & { readonly type: 'string' | readonly ['string', 'null']; readonly default?: string | null } {
  return def === undefined ? { type: 'string', description } : { type: def === null ? ['string', 'null'] : 'string', default: def, description };
}
const int = (description: string, def: number, minimum = 0, maximum?: number) =>
  ({ type: 'integer', default: def, minimum, ...(maximum === undefined ? {} : { maximum }), description }) as const;
const bool = (description: string, def: boolean) => ({ type: 'boolean', default: def, description }) as const;
const num = (description: string, def: number, minimum: number, maximum: number) => ({ type: 'number', default: def, minimum, maximum, description }) as const;
const obj = <const P extends Record<string, unknown>>(description: string, properties: P) =>
  ({ type: 'object', additionalProperties: false, default: {}, description, properties }) as const;

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    hubId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', default: 'hearth', description: 'Id of this hub; its MQTT topics are <mqtt.topicPrefix>/<hubId>/...' },
    area: str('The room the hub stands in: the default area for requests that name none.', null),
    pin: { type: ['string', 'null'], pattern: '^[0-9]{4,8}$', default: null, description: 'Household PIN (4-8 digits) spoken to confirm sensitive actions. Without it, sensitive actions are refused.' },
    dataDir: str('Folder for the SQLite database and other state the hub writes.', './data'),
    demo: { type: ['boolean', 'null'], default: null, description: 'Publish a simulated home over MQTT. null = on only when no mqtt.url is configured.' },
    log: obj('Logging.', {
      level: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info', description: 'pino log level.' },
    }),
    mqtt: obj('The MQTT connection. Without url the hub starts an embedded broker on loopback.', {
      url: str('Broker URL (mqtt://host:1883 or mqtts://host:8883). null = embedded broker.', null),
      username: str('Broker user name.', null),
      password: str('Broker password.', null),
      clientId: str('MQTT client id. null = hearth-<hubId>.', null),
      caFile: str('PEM file with the CA that signed the broker certificate (TLS).', null),
      certFile: str('PEM client certificate for TLS client authentication.', null),
      keyFile: str('PEM private key for certFile.', null),
      rejectUnauthorized: bool('Verify the broker certificate (TLS). Turn off only for a test broker.', true),
      topicPrefix: { type: 'string', pattern: '^[A-Za-z0-9_/-]+$', default: 'hearth', description: 'First topic level of everything the hub itself publishes.' },
      keepaliveS: int('MQTT keepalive in seconds.', 30, 5, 600),
      reconnectMinMs: int('First reconnect delay after the broker goes away, in ms; doubles up to reconnectMaxMs.', 1000, 100),
      reconnectMaxMs: int('Largest reconnect delay in ms.', 30000, 1000),
      offlineQueueMax: int('Messages kept while the broker is away; older ones are dropped and counted.', 500, 0, 100000),
      commandTtlMs: int('A device command waits at most this long (ms) for a broker that is away, then is dropped: a light that goes on a minute after it was asked surprises everyone. Sensitive commands (locks, alarms, garage doors, gates, ovens) never wait.', 5000, 0, 600000),
    }),
    embeddedBroker: obj('The broker started when mqtt.url is null.', {
      host: str('Address the embedded broker listens on. Loopback unless you mean to expose it.', '127.0.0.1'),
      port: int('Port of the embedded broker (0 = any free port).', 1883, 0, 65535),
    }),
    maxDevices: int('Most devices the hub holds; more are refused and counted (hearth report). Real homes have up to a few hundred.', 2000, 1, 100000),
    adapters: obj('Bridges whose MQTT messages the hub reads and commands.', {
      zigbee2mqtt: obj('zigbee2mqtt bridge.', {
        enabled: bool('Read zigbee2mqtt devices.', true),
        baseTopic: str('zigbee2mqtt base_topic.', 'zigbee2mqtt'),
      }),
      homeassistant: obj('Home Assistant MQTT discovery.', {
        enabled: bool('Read Home Assistant MQTT discovery configs.', true),
        discoveryPrefix: str('Discovery prefix.', 'homeassistant'),
      }),
      tasmota: obj('Tasmota native discovery.', {
        enabled: bool('Read Tasmota devices.', true),
        discoveryPrefix: str('Tasmota discovery topic prefix.', 'tasmota/discovery'),
      }),
      shelly: obj('Shelly devices (Gen1 and Gen2 MQTT).', {
        enabled: bool('Read Shelly devices.', true),
        gen1Prefix: str('Gen1 topic prefix.', 'shellies'),
        names: { type: 'object', additionalProperties: { type: 'string' }, default: {}, description: 'Names for Shelly channels: "<device id>:<channel>" -> name. Without one, the device id is the name.' },
      }),
    }),
    areas: { type: 'object', additionalProperties: { type: 'string' }, default: {}, description: 'Device name -> area, overriding what bridges suggest.' },
    floors: { type: 'object', additionalProperties: { type: 'string' }, default: {}, description: 'Area -> floor.' },
    aliases: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } }, default: {}, description: 'Device name -> other names people use for it.' },
    policy: obj('Sensitive actions.', {
      pinAttempts: int('Wrong PINs in a row before voice control of sensitive devices is locked.', 3, 1, 20),
      lockoutMinutes: int('How long voice control of sensitive devices stays locked after too many wrong PINs.', 10, 1, 1440),
      adoptionWindowMs: int('Locks, alarms and garage doors already present within this time after the first start of a fresh database are adopted as voice-controllable; later ones need enabledSensitive.', 5000, 0),
      enabledSensitive: { type: 'array', items: { type: 'string' }, default: [], description: 'Names of locks, alarms, garage doors and gates discovered later that may be voice-controlled (with PIN).' },
      sensitiveNames: { type: 'array', items: { type: 'string' }, default: ['oven', 'stove', 'cooker', 'hob'], description: 'Words in a device name that make turning it on sensitive (PIN needed). Garage doors, gates, locks and alarms are sensitive by kind.' },
    }),
    nlu: obj('Understanding requests.', {
      customSentencesDir: str('Folder of your own sentences and responses in Home Assistant\'s custom_sentences format (*.yaml: intents, lists, expansion_rules, skip_words, responses); read again within 2 s of a change, no restart. Relative to the working directory. Missing = none.', 'custom_sentences'),
    }),
    dialogue: obj('Conversation.', {
      followUpMs: int('How long the hub waits for the answer to a question it asked, in ms.', 15000, 1000),
      referenceMs: int('How long "it"/"them" keep pointing at the last devices, in ms.', 300000, 1000),
    }),
    rewrite: obj('The rewrite cache (taught, personal, global layers) applied before understanding.', {
      enabled: bool('Apply rewrites.', true),
      minSimilarity: num('Lowest similarity (0-1) for a rewrite found by retrieval; exact matches need none.', 0.8, 0.5, 1),
      minPersonalSupport: int('Sessions a personal rewrite needs to win over a global rewrite of the same request.', 3, 1, 1000),
      maxPosting: int('Words found in more cached requests than this do not take part in retrieval (too common to tell them apart).', 5000, 10, 1000000),
    }),
    learning: obj('What the hub learns from its own log (implicit feedback, rephrase mining).', {
      nightlyHour: { type: ['integer', 'null'], minimum: 0, maximum: 23, default: 3, description: 'Local hour at which the learning job runs each night. null = only on "hearth learn".' },
      rephraseWindowMs: int('A request within this many ms after a failed one, in the same conversation, can be its rephrase.', 30000, 1000, 600000),
      rephraseSimilarity: num('Similarity (0-1) of two requests above which the second is a rephrase of the first.', 0.5, 0, 1),
      reversalWindowMs: int('A device set back by other means within this many ms of a voice command marks that command a defect.', 60000, 1000, 3600000),
      minProbability: num('Lowest absorption probability for a mined rewrite.', 0.5, 0, 1),
      minSupport: int('Rephrase chains (conversations) that must support a mined rewrite.', 2, 1, 1000),
      keepVoiceTurns: bool('Keep the audio of spoken requests that worked (heard with confidence, carried out, no rephrase, barge-in or reversal after; never one with the PIN) in <dataDir>/voices, for `hearth learn --voices` to adapt pocketsphinx to this household\'s voices. Local only; erased by `hearth forget --all`. Off unless the household opts in.', false),
      voiceTurnsMax: int('Kept turns at most (learning.keepVoiceTurns); past it the oldest are erased.', 500, 20, 100000),
      voiceTurnsMaxAgeDays: int('Kept turns older than this many days are erased.', 90, 1, 3650),
    }),
    sync: obj('Global rewrites synced from the cloud service (off unless sync.url is set).', {
      url: str('Base URL of the sync service, e.g. https://sync.example.org. null = no sync.', null),
      publicKey: str("The service's Ed25519 public key (base64 SPKI, or PEM). Bundles not signed by it are refused.", null),
      upload: bool('Share this hub\'s learned rewrites with the service (normalised request pairs with counts, under an anonymous id; no audio, no specific device names). Off unless the household opts in.', false),
      enrollToken: str('The single-use token the sync service\'s operator issued for this hub: with sync.upload on, the hub enrols its own upload key with it once, and signs every upload.', null),
      intervalS: int('Seconds between pulls (each one jittered by +-20%, doubling after failures up to a day).', 21600, 60, 604800),
      maxBytes: int('Largest bundle download, in bytes.', 5000000, 1000, 500000000),
      timeoutMs: int('Longest a download may take, in ms.', 30000, 1000, 600000),
    }),
    audio: obj('Audio capture (16 kHz mono; other rates are resampled at the edge).', {
      source: { type: 'string', enum: ['none', 'microphone', 'hermes'], default: 'none', description: 'Where the hub listens: none (text only), microphone (ALSA via arecord or sox), hermes (satellites stream hermes/audioServer/<siteId>/audioFrame over MQTT).' },
      device: str('ALSA capture device for the microphone, e.g. plughw:1,0. null = the system default.', null),
      recorder: { type: 'string', enum: ['arecord', 'sox', 'rec'], default: 'arecord', description: 'Program that captures from the microphone (packages alsa-utils or sox).' },
      hermesSiteIds: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' }, default: [], description: 'Satellite site ids to listen to over Hermes MQTT; each one is its own stream. Empty = none.' },
      player: { type: 'string', enum: ['aplay', 'none'], default: 'aplay', description: 'Program that plays spoken replies on the hub\'s own speaker when audio.source is microphone (aplay: package alsa-utils); none = no local playback. Satellites play their replies themselves.' },
      playbackDevice: str('ALSA playback device for the hub\'s speaker, e.g. plughw:0,0. null = the system default.', null),
      queueMaxFrames: int('Frames (80 ms each) of live audio (microphone, satellites) waiting for the wake and VAD models; older ones are dropped and counted when the models fall behind. A file or stdin (hearth listen) waits for the models instead and loses nothing.', 50, 5, 10000),
    }),
    asr: obj('Speech recognition of the utterance after the wake word.', {
      engine: { type: 'string', enum: ['pocketsphinx', 'amortized', 'moonshine', 'none'], default: 'moonshine', description: 'ASR engine, each held to the grammar built from the home: moonshine (the default: Moonshine tiny, an open-vocabulary model trained on real people\'s speech, models/asr-moonshine-tiny; the most requests right and the fewest other clips taken for commands on the natural-speech set of real people, docs/results/asr.md; about 170 MB more memory than pocketsphinx in the bench), pocketsphinx (Debian packages libpocketsphinx-dev and pocketsphinx-en-us; the small one), amortized (Hearth\'s own compute-amortized Transformer, models/asr-amortized, trained on synthetic voices only); or none.' },
      publishPartials: bool('Publish partial hypotheses on <prefix>/<hubId>/asr/partial while the person speaks.', true),
      pocketsphinxMinScorePerFrame: num('pocketsphinx confidence gate: speech scoring below this acoustic log-likelihood per 10 ms frame is rejected as not a command (-50: on the natural-speech set -45 to -70 accept and reject the same clips but one; -45 rejects clean synthetic commands once each utterance starts from the prior mean).', -50, -200, 0),
      pocketsphinxCmn: { type: 'string', enum: ['head', 'live', 'utterance'], default: 'head', description: 'pocketsphinx cepstral mean, reset at every utterance so the same words give the same text whatever was heard before: head = a running mean started from the utterance\'s own first 1.5 s of speech, then decoded as it streams (the default: the most requests right on the natural-speech set, docs/results/asr.md); live = a running mean from the model\'s prior, partials from the first frame; utterance = the mean of the whole utterance, decoded when it ends.' },
      pocketsphinxConfirmBelow: num('A spoken request pocketsphinx heard with a confidence under this (or whose next hypotheses, nearly as likely, say the opposite action: on/off, lock/unlock, open/close) is not acted on: the hub asks "Did you say ...?" and acts on yes. 0.9: on the natural-speech set (head mean, typed grammar) the requests pocketsphinx heard right scored 0.930-0.999, the chatter it turned into a request the hub understood 0.665 (docs/results/asr.md).', 0.9, 0, 1),
      amortizedConfirmBelow: num('The same for the amortized engine, on its own confidence scale. 0: it asks only when its rival hypotheses say the opposite action; on the natural-speech set its confidences do not separate right from wrong (right 0.90-0.97, wrong 0.75-0.95), so no gate was chosen there.', 0, 0, 1),
      amortizedMinConfidence: num('amortized confidence gate: P(best grammar path) / P(best open path) per 30 ms frame under which speech is rejected as not a command (tuned on the dev voices, docs/results/asr-synthetic.md).', 0.6, 0, 1),
      amortizedThreshold: { type: ['number', 'null'], minimum: 0, maximum: 1, default: null, description: 'amortized compute knob: arbitrator probability over which a block runs; higher skips more. null = the model\'s own, 0 = every block runs.' },
      moonshineMinConfidence: num('moonshine confidence gate: P(best grammar path) / P(open text) per token, under which speech is rejected as not a command. 0.5: on the natural-speech set the requests heard right scored 0.62-1.0, and no other clip was taken for a command (docs/results/asr.md).', 0.5, 0, 1),
      moonshineConfirmBelow: num('The same as pocketsphinxConfirmBelow for the moonshine engine, on its own confidence scale.', 0, 0, 1),
      moonshineBeam: int('Grammar hypotheses the moonshine engine keeps per step (also bounds the n-best). 2: on the natural-speech set 4 heard the same requests at 1.7 times the cost, 1 two fewer (docs/results/asr.md).', 2, 1, 16),
      beamWidth: int('CTC beam width of the amortized engine (prefixes kept per frame; also bounds the n-best). Wider is more accurate and slower (docs/results/asr-synthetic.md).', 32, 1, 128),
    }),
    tts: obj('Spoken replies: every reply to a spoken request is said on the speaker of the place that heard it (the hub, a Hermes satellite, a Wyoming client).', {
      engine: { type: 'string', enum: ['flite', 'espeak-ng', 'none'], default: 'flite', description: 'Text-to-speech program (Debian packages flite, espeak-ng): flite = the CMU ARCTIC slt voice, the most natural of the two and fast enough (docs/results/tts.md); espeak-ng = formant synthesis, more languages; none = replies in text only.' },
      voice: str('Voice of the engine (flite: slt, kal16, awb, rms; espeak-ng: en-us, en-gb, ...). null = slt for flite, en-us for espeak-ng.', null),
      rateWpm: int('Speaking rate in words a minute (espeak-ng\'s scale; flite is stretched to match).', 175, 80, 400),
    }),
    wyoming: obj('A Wyoming protocol server (Home Assistant\'s voice pipeline, Wyoming satellites): asr, wake, intent, handle and tts in one. Off unless enabled.', {
      enabled: bool('Serve Wyoming.', false),
      host: str('Address the Wyoming server listens on. Loopback unless Home Assistant or the satellites are on other machines.', '127.0.0.1'),
      port: int('Port of the Wyoming server (10700 is the Wyoming convention; 0 = any free port).', 10700, 0, 65535),
      maxClients: int('Connections served at once; more are refused with an error event.', 8, 1, 256),
      satellites: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9._:\\[\\]-]+:[0-9]{1,5}$' }, default: [], description: 'Wyoming satellites (wyoming-satellite) the hub connects to, as host:port (10700 by default there): the hub hears them and answers them as Home Assistant would. Point each satellite at Hearth or at Home Assistant, not both.' },
    }),
    homeassistant: obj('The hub as a device in Home Assistant, over MQTT discovery.', {
      publish: bool('Publish the hub\'s own entities (last request and reply, last wake word, turns today, defect rate, a mute switch, the active wake word, a learning button) under adapters.homeassistant.discoveryPrefix. `hearth run --unpublish-ha` removes them.', true),
    }),
    wake: obj('Wake words (openWakeWord models in models/).', {
      engine: { type: 'string', enum: ['openwakeword'], default: 'openwakeword', description: 'Wake-word engine.' },
      runtime: { type: 'string', enum: ['auto', 'onnxruntime-node', 'onnxruntime-web'], default: 'auto', description: 'ONNX Runtime: auto = native, falling back to WASM when the native binding cannot load.' },
      modelsDir: str('Folder with the model folders. null = models/ of this installation.', null),
      threads: int('ONNX Runtime threads per wake-model call. 1 suits the small models and leaves the other cores to other satellites and the ASR (firmware-config/profiles set it per board).', 1, 1, 8),
      embedding: { type: 'string', enum: ['float', 'int8'], default: 'int8', description: 'The speech embedding model every wake word reads: float = openWakeWord\'s own (models/openwakeword-embedding); int8 = Hearth\'s quantized copy (models/openwakeword-embedding-int8), about 2.4x faster per call (docs/results/bench/intel-xeon-vnni.md, docs/results/wake-synthetic.md).' },
      classifiers: { type: 'string', enum: ['hearth', 'openwakeword'], default: 'openwakeword', description: 'Whose wake-word classifiers: openwakeword = the pretrained openWakeWord v0.1 ones (models/wake-<id>, CC BY-NC-SA 4.0: non-commercial); hearth = trained by Hearth on synthetic voices (models/wake-hearth-<id>, Apache-2.0): fewer misses on the generated set but weak on an unseen speaker, so not the default yet (docs/results/wake-synthetic.md).' },
      verifiers: bool('Run the verifier a wake word\'s model names (each of Hearth\'s classifiers, wake.classifiers: hearth, has one: a small CNN over the last 1.6 s of mel frames that may veto a detection, 0.11 ms a call, run only when the classifier fires; it cuts the expected false accepts on validation by 47-75%, docs/results/wake-synthetic.md). false = the classifier alone, at its own threshold and patience (its manifest\'s withoutVerifier).', true),
      asrCheck: bool('Confirm each wake word with the ASR before acting on what follows, where the engine can (asr.engine: moonshine): it scores the word\'s phrase in the audio it was said in against its own free transcript (read again from further back when short), while the command is being said. An unconfirmed wake is a false wake: nothing is done or said. On natural speech, streamed at 8 alignments, it dropped all 31 false wakes and kept 71 of the 72 real wake words found; without it there were 3 or 4 at every alignment (docs/results/wake.md). Off: every detection stands (for voices the ASR hears badly, e.g. synthetic ones).', true),
      asrCheckMinConfidence: num('The ASR\'s confidence (0-1) a wake word must reach with wake.asrCheck.', 0.5, 0, 1),
      words: {
        type: 'array', default: [{ id: 'hey_jarvis' }],
        description: 'Wake words to listen for at once (alexa, hey_jarvis, hey_mycroft, hey_rhasspy).',
        items: { type: 'object', additionalProperties: false, required: ['id'], properties: {
          id: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', description: 'Wake word id, as wake events name it.' },
          model: { type: ['string', 'null'], pattern: '^[A-Za-z0-9_-]+$', default: null, description: 'Model folder in models/ for this word (your own openWakeWord-format model). null = the one wake.classifiers names.' },
          threshold: { type: ['number', 'null'], minimum: 0, maximum: 1, default: null, description: 'Score (0-1) a frame must reach. null = the threshold in the model\'s manifest (0.5 when it has none).' },
          patienceFrames: { type: ['integer', 'null'], minimum: 1, maximum: 20, default: null, description: 'Consecutive frames at or over the threshold before it fires. null = the patience in the model\'s manifest (1 when it has none).' },
          refractoryMs: int('Quiet time after a detection, in ms.', 2000, 0, 60000),
        } },
      },
      warmupMs: int('Scores are ignored this long after a start (the initial buffers cause false activations), in ms.', 2000, 0, 10000),
      vadGateThreshold: num('Skip the wake models while the VAD speech probability stays below this (0 = never skip).', 0.1, 0, 1),
      vadGateHangoverFrames: int('Frames the wake models keep running after speech drops below the gate.', 12, 0, 100),
      noiseFloorMarginDb: num('Skip the VAD (and so the wake models) on 80 ms frames no more than this many dB louder than the room\'s noise floor (the quietest frame of the last 2 s); after a louder frame the VAD runs for 1 s. Lower = safer in loud rooms, higher = cheaper. 0 = run the VAD on every frame.', 6, 0, 40),
    }),
    endpoint: obj('Cutting the utterance after the wake word.', {
      prerollMs: int('Audio kept from before the wake event, in ms, so a first word said without a pause is not lost.', 300, 0, 2000),
      trailingSilenceMs: int('Silence after speech that ends the utterance, in ms.', 700, 100, 5000),
      maxUtteranceMs: int('Longest utterance, in ms.', 10000, 1000, 60000),
      noSpeechMs: int('The utterance ends as no-speech when nobody speaks this long after the wake word, in ms.', 3000, 500, 20000),
      speechThreshold: num('Silero VAD probability at or over which a frame is speech.', 0.5, 0, 1),
    }),
  },
} as const;
