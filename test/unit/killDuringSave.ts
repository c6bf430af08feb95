/**
 * Child process for the interrupted-save tests: saves a model whose weights are all 0.25 to DIR,
 * and SIGKILLs itself just before file-system step STEP of the save ("before"), or in the middle
 * of that step when it writes a file ("torn": half the file is written). Prints the steps it went
 * through when it was not killed.
 * Usage: killDuringSave.ts DIR SPEC.json STEP before|torn
 */
import * as fs from 'node:fs';
import { unflattenWeights, weightShapes } from '../../src/core/model/architecture';
import { nodeSaveFileSystem, SaveFileSystem } from '../../src/core/model/modelFolder';
import { saveModel } from '../../src/core/model/modelIO';

const [dir, specFile, stepArg, mode] = process.argv.slice(2);
const { arch, metadata } = JSON.parse(fs.readFileSync(specFile, 'utf8'));
const weights = unflattenWeights(
  arch,
  weightShapes(arch).map(({ shape }) => new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.25)),
);
const killAt = Number(stepArg);
const steps: string[] = [];

function kill(): never {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('not reached');
}

/** Counts the step and dies when it is the chosen one. */
function step(name: string): boolean {
  steps.push(name);
  return steps.length - 1 === killAt;
}

const fileSystem: SaveFileSystem = {
  mkdir: async (target, recursive) => (step('mkdir') ? kill() : nodeSaveFileSystem.mkdir(target, recursive)),
  writeFile: async (file, data) => {
    if (step('writeFile')) {
      if (mode === 'torn')
        fs.writeFileSync(
          file,
          typeof data === 'string' ? data.slice(0, data.length >> 1) : data.subarray(0, data.byteLength >> 1),
        );
      kill();
    }
    return nodeSaveFileSystem.writeFile(file, data);
  },
  syncFolder: async (target) => (step('syncFolder') ? kill() : nodeSaveFileSystem.syncFolder(target)),
  rename: async (from, to) => (step('rename') ? kill() : nodeSaveFileSystem.rename(from, to)),
  remove: async (target) => (step('remove') ? kill() : nodeSaveFileSystem.remove(target)),
};

saveModel(dir, { arch, weights, metadata }, { fileSystem }).then(() => process.stdout.write(`${steps.join(',')}\n`));
