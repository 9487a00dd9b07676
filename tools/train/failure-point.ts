/**
 * Trains the failure-point model on simulator turns with injected faults (tools/sim) and measures
 * it, and the rule baseline, on held-out seeds. Writes models/failure-point/weights.json and prints
 * the accuracy table (the simulator report measures the committed model the same way).
 *
 *   node dist/tools/train/failure-point.js [--train-seeds 1-8] [--test-seeds 9-12]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accuracy, accuracyTable, collectFaults } from '../sim/failure-eval.js';
import { failureFeatures, predictStage, trainFailureModel, type FailureModel } from '../../runtime/learning/failure-model.js';
import { failurePoint } from '../../runtime/learning/failure-point.js';
import { DEFAULT_MODELS_DIR } from '../../runtime/models/manifest.js';

const range = (spec: string) => { const [a, b] = spec.split('-').map(Number); return Array.from({ length: b! - a! + 1 }, (_, i) => a! + i); };

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (k: string, d: string) => { const i = process.argv.indexOf(`--${k}`); return i > 0 ? process.argv[i + 1]! : d; };
  const train = await collectFaults(range(arg('train-seeds', '1-8')));
  const test = await collectFaults(range(arg('test-seeds', '9-12')));
  const model: FailureModel = trainFailureModel(train.map((d) => failureFeatures(d.x)), train.map((d) => d.y));
  writeFileSync(join(DEFAULT_MODELS_DIR, 'failure-point', 'weights.json'), `${JSON.stringify(model)}\n`);
  const rules = accuracy(test, (x) => failurePoint(x));
  const learned = accuracy(test, (x) => predictStage(model, failureFeatures(x)));
  process.stdout.write(`Failure-point isolation, held-out simulated faults (${test.length} defective turns; trained on ${train.length}):

${accuracyTable([['rules only', rules], ['learned (rules as a feature)', learned]])}
`);
}
