'use strict';
// Mocha's spec reporter plus, at the end, the skipped tests by name and one closing line in the plain
// form CI reads: "N passed, N failed".
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const skippedTests = [];
    runner.on('pending', (test) => skippedTests.push(test.fullTitle()));
    runner.once('end', () => {
      const { passes, failures, pending } = runner.stats;
      for (const title of skippedTests) process.stdout.write(`skipped: ${title}\n`);
      const skipped = pending ? `, ${pending} skipped` : '';
      process.stdout.write(`\n${passes} passed, ${failures} failed${skipped}\n`);
    });
  }
}

module.exports = SummaryReporter;
