/**
 * `npm run fuzz`: runs the seeded fuzz families (scripts/fuzz/families.ts) and prints, per family,
 * the cases run, the failures (with the seed and case to reproduce each), the slowest case and the
 * peak resident memory. Exit status 1 when any case failed.
 * Usage: npm run fuzz -- [--seed N] [--cases N] [--from I] [--family NAME]
 */
import { parseArgs } from 'node:util';
import { FAMILIES, createFuzzContext, runFamily } from './fuzz/families';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      cases: { type: 'string' },
      from: { type: 'string' },
      family: { type: 'string' },
    },
  });
  const seed = Number(values.seed ?? 1);
  const families = FAMILIES.filter((f) => values.family === undefined || f.name === values.family);
  if (families.length === 0) {
    process.stderr.write(`no family "${values.family}"; families: ${FAMILIES.map((f) => f.name).join(', ')}\n`);
    return 2;
  }
  const context = await createFuzzContext();
  let failed = 0;
  try {
    process.stdout.write(
      `seed ${seed}\n| family | cases | failures | slowest case | peak RSS |\n| --- | ---: | ---: | ---: | ---: |\n`,
    );
    for (const family of families) {
      const report = await runFamily(
        family,
        context,
        seed,
        Number(values.cases ?? family.defaultCases),
        Number(values.from ?? 0),
      );
      failed += report.failures.length;
      process.stdout.write(
        `| ${family.name} | ${report.cases} | ${report.failures.length} | ${report.worstCaseMs.toFixed(0)} ms | ${report.peakRssMb.toFixed(0)} MB |\n`,
      );
      for (const failure of report.failures.slice(0, 10)) {
        process.stderr.write(
          `  ${family.name} case ${failure.index} (reproduce: --family ${family.name} --seed ${seed} --from ${failure.index} --cases 1): ${failure.message.slice(0, 500)}\n`,
        );
      }
    }
  } finally {
    await context.dispose();
  }
  return failed > 0 ? 1 : 0;
}

main().then((code) => {
  process.exitCode = code;
});
