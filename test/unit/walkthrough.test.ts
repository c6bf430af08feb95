import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WALKTHROUGH_SAMPLES } from '../../src/extension/walkthroughSamples';

const root = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

interface Step {
  readonly id: string;
  readonly description: string;
  readonly media: { readonly markdown?: string; readonly image?: string };
  readonly completionEvents?: readonly string[];
}

describe('walkthrough (package.json contributes.walkthroughs)', () => {
  const [walkthrough] = manifest.contributes.walkthroughs as { id: string; steps: Step[] }[];
  const commands = new Set<string>(manifest.contributes.commands.map((c: { command: string }) => c.command));

  it('has the Getting Started steps: highlight, check comments, train', () => {
    assert.equal(walkthrough.id, 'gettingStarted');
    assert.deepEqual(
      walkthrough.steps.map((s) => s.id),
      ['highlight', 'checkComments', 'train'],
    );
  });

  it('links and completes on contributed commands only', () => {
    for (const step of walkthrough.steps) {
      const linked = [...step.description.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]);
      assert.ok(linked.length > 0, `${step.id} has a button`);
      const completing = (step.completionEvents ?? []).map((e) => e.replace(/^onCommand:/, ''));
      for (const id of [...linked, ...completing])
        assert.ok(commands.has(id), `${step.id}: ${id} is a contributed command`);
    }
  });

  it('opens only samples that exist under media/walkthrough/samples/', () => {
    const samples = walkthrough.steps.flatMap((s) =>
      [...s.description.matchAll(/command:sentimentLens\.openSample\?([^)]+)\)/g)].map(
        (m) => JSON.parse(decodeURIComponent(m[1]))[0] as string,
      ),
    );
    assert.deepEqual(samples, ['review', 'comments', 'training']);
    assert.deepEqual(samples, Object.keys(WALKTHROUGH_SAMPLES));
    for (const file of Object.values(WALKTHROUGH_SAMPLES)) {
      assert.ok(fs.existsSync(path.join(root, 'media', 'walkthrough', 'samples', file)), `${file} exists`);
    }
  });

  it('has its media under media/, which .vscodeignore ships', () => {
    const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(ignore.includes('!media/**'), '.vscodeignore brings media/ back');
    for (const step of walkthrough.steps) {
      const media = step.media.markdown ?? step.media.image!;
      assert.match(media, /^media\//);
      assert.ok(fs.existsSync(path.join(root, media)), `${media} exists`);
    }
  });
});
