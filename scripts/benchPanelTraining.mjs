// Times a training run of the bundled model's architecture (GRU 128, embedding 100, the panel's
// defaults: starting from the bundled model's embedding) on the movie-review training data through the panel's path: the bundled training
// worker (dist/trainingWorker.js) in a worker_threads Worker, driven by the host<->worker protocol.
// Also measures the longest block of this (host) thread meanwhile, as the extension does.
// Usage: npm run build && node scripts/benchPanelTraining.mjs [--epochs=N] [--members=N] [--data=DIR]
import { Worker } from 'node:worker_threads';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
// Default: rt-polaritydata/ in the datasets folder (SENTIMENT_LENS_DATA, else ../shared/data beside the repository).
const dataDir = resolve(
  arg(
    'data',
    join(
      process.env.SENTIMENT_LENS_DATA || resolve(import.meta.dirname, '..', '..', 'shared', 'data'),
      'rt-polaritydata',
    ),
  ),
);
const settings = {
  cell: 'gru',
  units: 128,
  layers: 1,
  embeddingDim: 100,
  dropout: 0.5,
  epochs: Number(arg('epochs', 16)),
  batchSize: 64,
  learningRate: 0.001,
  maxLength: 60,
  validationSplit: 0.1,
  seed: 42,
  ensembleMembers: Number(arg('members', 2)),
  distill: false,
  skipGram: true,
  lexiconWeight: 0.3,
  linguisticExamples: true,
  learnedTransforms: false,
  startFromBundled: true,
};

const worker = new Worker(resolve('dist/trainingWorker.js'));
let last = performance.now();
let longestBlock = 0;
const monitor = setInterval(() => {
  const now = performance.now();
  longestBlock = Math.max(longestBlock, now - last - 10);
  last = now;
}, 10);
const started = performance.now();
// The worker ignores a message it does not accept (settings of another shape): say so instead of waiting forever.
const silenceLimitMs = 120_000;
let lastMessage = performance.now();
const watchdog = setInterval(() => {
  if (performance.now() - lastMessage < silenceLimitMs) return;
  console.error(`no message from the training worker in ${silenceLimitMs / 1000} s: were the settings refused?`);
  process.exit(1);
}, 1000);
worker.postMessage({
  type: 'train',
  requestId: 1,
  maxBytes: 100 * 1024 * 1024,
  settings,
  pretrainedModelDir: resolve('model/movie-reviews'),
  source: {
    kind: 'pair',
    positivePath: join(dataDir, 'rt-polarity.pos'),
    negativePath: join(dataDir, 'rt-polarity.neg'),
  },
});
worker.on('message', async (message) => {
  lastMessage = performance.now();
  if (message.type === 'progress' && message.progress.phase === 'validated') {
    const p = message.progress;
    console.error(
      `epoch ${p.epoch}/${p.epochs}: loss ${p.loss.toFixed(4)} acc ${p.accuracy.toFixed(4)} val_loss ${p.validationLoss.toFixed(4)} val_acc ${p.validationAccuracy.toFixed(4)} (${p.elapsedSeconds.toFixed(1)} s)`,
    );
  } else if (message.type === 'done' || message.type === 'error') {
    clearInterval(monitor);
    clearInterval(watchdog);
    const wall = (performance.now() - started) / 1000;
    const r = message.report;
    console.log(
      JSON.stringify(
        {
          outcome: message.type,
          message: message.message,
          wallSeconds: +wall.toFixed(1),
          trainingSeconds: r && +r.seconds.toFixed(1),
          bestEpoch: r?.bestEpoch,
          validationAccuracy: r && +r.accuracy.toFixed(4),
          trainingExamples: r?.trainingExamples,
          validationExamples: r?.validationExamples,
          longestHostBlockMs: +longestBlock.toFixed(1),
          settings,
          machine: {
            cpus: cpus().length,
            model: cpus()[0]?.model,
            loadAverage1m: +loadavg()[0].toFixed(2),
            node: process.version,
          },
        },
        null,
        2,
      ),
    );
    await worker.terminate();
  }
});
