/** The validated, frozen configuration type (mirrors schema.ts). */
export interface AdapterToggle { readonly enabled: boolean }

export interface HearthConfig {
  readonly hubId: string;
  readonly area: string | null;
  readonly pin: string | null;
  readonly dataDir: string;
  readonly demo: boolean | null;
  readonly log: { readonly level: string };
  readonly mqtt: {
    readonly url: string | null;
    readonly username: string | null;
    readonly password: string | null;
    readonly clientId: string | null;
    readonly caFile: string | null;
    readonly certFile: string | null;
    readonly keyFile: string | null;
    readonly rejectUnauthorized: boolean;
    readonly topicPrefix: string;
    readonly keepaliveS: number;
    readonly reconnectMinMs: number;
    readonly reconnectMaxMs: number;
    readonly offlineQueueMax: number;
    readonly commandTtlMs: number;
  };
  readonly embeddedBroker: { readonly host: string; readonly port: number };
  readonly maxDevices: number;
  readonly adapters: {
    readonly zigbee2mqtt: AdapterToggle & { readonly baseTopic: string };
    readonly homeassistant: AdapterToggle & { readonly discoveryPrefix: string };
    readonly tasmota: AdapterToggle & { readonly discoveryPrefix: string };
    readonly shelly: AdapterToggle & {
      readonly gen1Prefix: string;
      readonly names: Readonly<Record<string, string>>;
    };
  };
  readonly areas: Readonly<Record<string, string>>;
  readonly floors: Readonly<Record<string, string>>;
  readonly aliases: Readonly<Record<string, readonly string[]>>;
  readonly policy: {
    readonly pinAttempts: number;
    readonly lockoutMinutes: number;
    readonly adoptionWindowMs: number;
    readonly enabledSensitive: readonly string[];
    readonly sensitiveNames: readonly string[];
  };
  readonly dialogue: { readonly followUpMs: number; readonly referenceMs: number };
  readonly rewrite: { readonly enabled: boolean; readonly minSimilarity: number; readonly minPersonalSupport: number; readonly maxPosting: number };
  readonly learning: {
    readonly nightlyHour: number | null;
    readonly rephraseWindowMs: number;
    readonly rephraseSimilarity: number;
    readonly reversalWindowMs: number;
    readonly minProbability: number;
    readonly minSupport: number;
  };
  readonly sync: { readonly url: string | null; readonly publicKey: string | null; readonly upload: boolean; readonly enrollToken: string | null; readonly intervalS: number; readonly maxBytes: number; readonly timeoutMs: number };
  readonly audio: {
    readonly source: 'none' | 'microphone' | 'hermes';
    readonly device: string | null;
    readonly recorder: 'arecord' | 'sox' | 'rec';
    readonly hermesSiteIds: readonly string[];
    readonly queueMaxFrames: number;
  };
  readonly asr: {
    readonly engine: 'pocketsphinx' | 'amortized' | 'none';
    readonly publishPartials: boolean;
    readonly pocketsphinxMinScorePerFrame: number;
    readonly pocketsphinxCmn: 'head' | 'utterance' | 'live';
    readonly pocketsphinxConfirmBelow: number;
    readonly amortizedConfirmBelow: number;
    readonly amortizedMinConfidence: number;
    readonly amortizedThreshold: number | null;
    readonly beamWidth: number;
  };
  readonly wake: {
    readonly engine: 'openwakeword';
    readonly runtime: 'auto' | 'onnxruntime-node' | 'onnxruntime-web';
    readonly modelsDir: string | null;
    readonly embedding: 'float' | 'int8';
    readonly classifiers: 'hearth' | 'openwakeword';
    readonly verifiers: boolean;
    readonly words: readonly WakeWordConfig[];
    readonly warmupMs: number;
    readonly vadGateThreshold: number;
    readonly vadGateHangoverFrames: number;
    readonly noiseFloorMarginDb: number;
  };
  readonly endpoint: {
    readonly prerollMs: number;
    readonly trailingSilenceMs: number;
    readonly maxUtteranceMs: number;
    readonly noSpeechMs: number;
    readonly speechThreshold: number;
  };
}

export interface WakeWordConfig {
  readonly id: string;
  readonly model: string | null;
  readonly threshold: number | null;
  readonly patienceFrames: number | null;
  readonly refractoryMs: number;
}
