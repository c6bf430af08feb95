/**
 * The in-process trainer's figures for a comparison with scale/train_ddp.py: trains on a pair of
 * polarity files with the same split, vocabulary and settings as `prepare` + train_ddp.py's
 * defaults (skip-gram off, since the PyTorch trainer starts from a random embedding) and prints
 * the best epoch's validation accuracy and the examples per second of each epoch.
 * Usage: npx tsx scripts/scaleOutBaseline.ts POS NEG [EPOCHS] [CELL] [LAYERS] [SEED]
 * (SEED drives the split as well as the weights: give `prepare` and train_ddp.py the same --seed.)
 */
import { readPolarityPair } from '../src/core/readers';
import { trainClassifier } from '../src/core/training/training';
import type { CellType } from '../src/core/model/architecture';
import { ENGINE_HELPER_SCRIPT } from '../test/support/engineHelper';

async function main(): Promise<void> {
  const [pos, neg, epochs = '8', cell = 'gru', layers = '1', seed = '42'] = process.argv.slice(2);
  if (!pos || !neg) throw new Error('usage: scaleOutBaseline.ts POS NEG [EPOCHS] [CELL] [LAYERS] [SEED]');
  const { examples } = readPolarityPair(pos, neg);
  const result = await trainClassifier(
    examples,
    { epochs: Number(epochs), cell: cell as CellType, layers: Number(layers), seed: Number(seed), skipGram: false },
    {
      helperScript: ENGINE_HELPER_SCRIPT,
      onProgress: (p) => {
        if (p.phase === 'validated')
          process.stderr.write(`epoch ${p.epoch}/${p.epochs}  val_acc ${p.validationAccuracy!.toFixed(4)}\n`);
      },
    },
  );
  const examplesPerSecond = result.history.map((h) => Math.round(result.trainingExamples / h.seconds));
  process.stdout.write(
    `${JSON.stringify({ bestEpoch: result.bestEpoch, validationAccuracy: result.metrics.accuracy, trainingExamples: result.trainingExamples, validationExamples: result.validationExamples, examplesPerSecond })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
