export * from './errors.js';
export * from './device.js';
export * from './pipeline.js';
export * from './audio.js';
export * from './intents.js';
