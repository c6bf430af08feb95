/**
 * Measures variants of the review-tone recipe on its validation split (same split and seed as the
 * bundled model), one run after another, and prints one Markdown table row per variant. The rows
 * go into scripts/modelCards/review-tone-variants.md, which the model card quotes.
 *
 *   npx tsx scripts/reviewToneVariants.ts [--variant NAME]... [--epochs N] [--log FILE] [--set option=value]...
 *
 * Without --variant every variant runs (slow on a shared machine: name the ones you need).
 * --set glove=true also starts the embedding from the recipe's pretrained vectors (the recipe variant always does).
 * --log appends each result as a JSON line. The movie-review variants need model/movie-reviews/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { transferEmbedding } from '../src/core/embeddingTransfer';
import { loadClassifierModel } from '../src/core/modelFiles';
import { trainClassifier, TrainingHooks, TrainingOptions } from '../src/core/training';
import { movieReviewTexts, recipeVectorsHook, RECIPES } from './trainBundled';

interface Variant {
  readonly description: string;
  readonly options: Partial<TrainingOptions>;
  /** Skip-gram also reads the movie-review sentences. */
  readonly pretrainOnMovieReviews?: boolean;
  /** Start the embedding from the bundled movie-review model's rows for shared words. */
  readonly embeddingFromMovieModel?: boolean;
}

/** The recipe's network and schedule without any of the improvements tried here. */
const PLAIN: Partial<TrainingOptions> = { skipGram: false, vocabularySource: 'training', minCount: 1, wordDropout: 0, supervision: 'final' };

const VARIANTS: Record<string, Variant> = {
  plain: { description: 'plain GRU 128 (random embedding, final-step supervision, no word dropout, vocabulary: words of the training part)', options: {} },
  'skipgram-senti4sd': { description: 'skip-gram pretraining on the Senti4SD training part', options: { skipGram: true } },
  'skipgram-all': { description: 'skip-gram on the Senti4SD training part + movie-review sentences; vocabulary from the training part', options: { skipGram: true }, pretrainOnMovieReviews: true },
  'skipgram-all-vocab': { description: 'as skipgram-all, vocabulary from both texts (min count 2)', options: { skipGram: true, vocabularySource: 'training+pretraining', minCount: 2 }, pretrainOnMovieReviews: true },
  'every-step': { description: 'every-step supervision', options: { supervision: 'every-step' } },
  'word-dropout': { description: 'word dropout 0.25', options: { wordDropout: 0.25 } },
  'movie-embedding': { description: 'embedding initialised from the movie-review model (shared words)', options: {}, embeddingFromMovieModel: true },
  'units-64': { description: 'GRU 64 units instead of 128', options: { units: 64 } },
  recipe: { description: 'the shipped recipe (scripts/trainBundled.ts), its pretrained vectors included', options: {}, pretrainOnMovieReviews: true },
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { variant: { type: 'string', multiple: true }, epochs: { type: 'string' }, log: { type: 'string' }, set: { type: 'string', multiple: true } } });
  const names = values.variant?.length ? values.variant : Object.keys(VARIANTS);
  const recipe = RECIPES['review-tone'];
  const { examples } = recipe.readData({});
  for (const name of names) {
    const variant = VARIANTS[name];
    if (!variant) throw new Error(`unknown variant "${name}" (known: ${Object.keys(VARIANTS).join(', ')})`);
    // --set key=value overrides numeric or string options, to combine variants without new entries.
    const overrides = Object.fromEntries((values.set ?? []).map((pair) => {
      const [key, raw] = pair.split('=');
      return [key, raw === 'true' ? true : raw === 'false' ? false : Number.isFinite(Number(raw)) ? Number(raw) : raw];
    }));
    const withVectors = overrides.glove === true;
    delete overrides.glove;
    const options: Partial<TrainingOptions> = {
      ...recipe.options,
      ...(name === 'recipe' ? {} : PLAIN),
      ...variant.options,
      ...overrides,
      ...(values.epochs ? { epochs: Number(values.epochs) } : {}),
      ...(variant.pretrainOnMovieReviews || overrides.pretrainOnMovieReviews ? { pretrainingTexts: movieReviewTexts({}).texts } : {}),
    };
    // The recipe's own run starts from its pretrained vectors, as the bundled model does; --set glove=true adds them to any variant.
    const vectors = (name === 'recipe' || withVectors) && recipe.pretrainedVectors;
    const hooks: TrainingHooks = variant.embeddingFromMovieModel || overrides.embeddingFromMovieModel
      ? { initialEmbedding: await movieModelEmbedding() }
      : vectors ? { initialEmbedding: await recipeVectorsHook(vectors, [...examples.map((e) => e.text), ...(options.pretrainingTexts ?? [])], options) } : {};
    const result = await trainClassifier(examples, options, {
      ...hooks,
      onProgress: (p) => {
        if (p.phase === 'validated') process.stderr.write(`${name} epoch ${p.epoch}: val_acc ${p.validationAccuracy!.toFixed(4)} val_loss ${p.validationLoss!.toFixed(4)} ${p.elapsedSeconds.toFixed(0)} s\n`);
      },
    });
    const m = result.metrics;
    const setEntries = [...Object.entries(overrides), ...(withVectors ? [['glove', true]] : [])];
    const setText = setEntries.length ? ` (${setEntries.map(([k, v]) => `${k}=${v}`).join(', ')})` : '';
    const row = `| ${name}${setText} | ${variant.description} | ${m.accuracy.toFixed(4)} | ${m.macroF1.toFixed(4)} | ${m.labels.map((l) => m.perClass[l].f1.toFixed(3)).join(' / ')} | ${result.bestEpoch} | ${result.model.vocabulary.size} | ${result.seconds.toFixed(0)} |`;
    process.stdout.write(`${row}\n`);
    if (values.log) {
      fs.appendFileSync(values.log, `${JSON.stringify({ name, overrides, accuracy: m.accuracy, macroF1: m.macroF1, perClass: m.perClass, bestEpoch: result.bestEpoch, vocabulary: result.model.vocabulary.size, seconds: result.seconds, history: result.history, row })}\n`);
    }
  }
}

/** The initialEmbedding hook that copies the movie-review model's rows for words both vocabularies hold. */
async function movieModelEmbedding(): Promise<NonNullable<TrainingHooks['initialEmbedding']>> {
  const source = await loadClassifierModel(path.resolve(__dirname, '..', 'model', 'movie-reviews'));
  return (vocabulary, embedding, dim) => {
    const { embedding: copied, shared } = transferEmbedding(vocabulary.tokens, embedding, dim, { tokens: source.vocabulary.tokens, embedding: source.weights.embedding, dim: source.arch.embeddingDim });
    process.stderr.write(`movie-review embedding: ${shared} of ${vocabulary.size} rows copied\n`);
    return copied;
  };
}

main().catch((error) => {
  process.stderr.write(`reviewToneVariants: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
