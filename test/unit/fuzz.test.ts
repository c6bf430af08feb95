import * as assert from 'node:assert/strict';
import { FAMILIES, createFuzzContext, runFamily } from '../../scripts/fuzz/families';

/** A small fixed-seed slice of `npm run fuzz`: every family, the first cases of seed 1. */
const SLICE: Readonly<Record<string, number>> = {
  'labelled-text': 150,
  'labelled-file': 40,
  'classify-text': 100,
  'model-folder': 40,
  'vectors-file': 40,
  'special-files': 10,
  'train-save-load': 8,
};

describe('fuzz (fixed-seed slice)', () => {
  let context: Awaited<ReturnType<typeof createFuzzContext>>;
  before(async () => {
    context = await createFuzzContext();
  });
  after(async () => {
    await context.dispose();
  });

  for (const family of FAMILIES) {
    it(`${family.name}: ${family.description}`, async function () {
      this.timeout(120_000);
      const report = await runFamily(family, context, 1, SLICE[family.name] ?? 20);
      assert.deepEqual(
        report.failures.map((f) => `case ${f.index}: ${f.message.slice(0, 300)}`),
        [],
      );
    });
  }
});
