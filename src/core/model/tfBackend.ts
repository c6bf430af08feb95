/**
 * TensorFlow.js set-up for the parts-based install (tfjs-core + tfjs-layers + a backend, no
 * `@tensorflow/tfjs` union package and no tfjs-node).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// The union package registers the chained tensor methods (`t.flatten()`, `t.sign()`, ...); tfjs-layers
// relies on them (e.g. the orthogonal initializer) and fails with "x.flatten is not a function" without.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';

/**
 * Makes the pure-JS 'cpu' backend the active one and waits until it is ready. Idempotent: it does
 * nothing when 'cpu' is already active, so callers may await it before every tensor operation.
 * Also enables tfjs's production mode, which silences its console hints (the "install tfjs-node"
 * banner on first tensor write) and skips debug checks.
 */
export async function ensureBackend(): Promise<void> {
  if (!tf.env().getBool('PROD')) tf.enableProdMode();
  if (tf.getBackend() !== 'cpu') {
    await tf.setBackend('cpu');
  }
  await tf.ready();
}
