import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SentimentLensApi } from '../../src/extension/api';

const extensionId = 'sentiment-lens.sentiment-lens';

function sentimentLens(): vscode.Extension<SentimentLensApi> {
  const extension = vscode.extensions.getExtension<SentimentLensApi>(extensionId);
  assert.ok(extension, `${extensionId} is loaded in the extension host`);
  return extension;
}

describe('extension', () => {
  it('activates in the host', async () => {
    const extension = sentimentLens();
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('returns an API object from activate, carrying the manifest version', async () => {
    const extension = sentimentLens();
    const api = await extension.activate();
    assert.equal(typeof api, 'object');
    assert.equal(api.version, extension.packageJSON.version);
  });

  it('offers its test hooks only in ExtensionMode.Test, which the integration suite runs in', async () => {
    const api = await sentimentLens().activate();
    assert.equal(typeof api.testing?.statusBarText, 'function');
    assert.equal(typeof api.testing?.training.postFromPanel, 'function');
  });

  it('registers every command contributed in package.json', async () => {
    const extension = sentimentLens();
    await extension.activate();
    const contributed: string[] = (extension.packageJSON.contributes?.commands ?? []).map(
      (c: { command: string }) => c.command,
    );
    assert.ok(contributed.length > 0, 'package.json contributes at least one command');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((id) => !registered.has(id)),
      [],
      'contributed commands without a handler',
    );
  });
});
