import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));

describe('package.json', () => {
  it('supports Restricted Mode with the model settings restricted, and virtual workspaces in part', () => {
    const { untrustedWorkspaces, virtualWorkspaces } = manifest.capabilities;
    assert.equal(untrustedWorkspaces.supported, 'limited');
    assert.ok(untrustedWorkspaces.description.length > 0);
    const settings = Object.keys(manifest.contributes.configuration.properties);
    assert.deepEqual(
      untrustedWorkspaces.restrictedConfigurations.filter((key: string) => !settings.includes(key)),
      [],
      'restricted settings exist',
    );
    assert.ok(untrustedWorkspaces.restrictedConfigurations.includes('sentimentLens.highlight.model'));
    assert.ok(untrustedWorkspaces.restrictedConfigurations.includes('sentimentLens.comments.model'));
    assert.ok(untrustedWorkspaces.restrictedConfigurations.includes('sentimentLens.comments.harshness.model'));
    assert.equal(virtualWorkspaces.supported, 'limited');
    assert.ok(virtualWorkspaces.description.length > 0);
  });
});
