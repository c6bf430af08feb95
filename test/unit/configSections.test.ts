import * as assert from 'node:assert/strict';
import { MANIFEST_SETTING_KEYS } from '../../src/core/comments/checkSettings';
import { MODEL_SETTING_KEYS, sectionOf } from '../../src/extension/configSections';
import { FEATURE_IDS } from '../../src/protocol/features';

describe('configSections', () => {
  it('puts the three model settings, and only those, in the models section', () => {
    const models = MANIFEST_SETTING_KEYS.filter((key) => sectionOf(key) === 'models').sort();
    assert.deepEqual(models, ['comments.harshness.model', 'comments.model', 'highlight.model']);
    assert.deepEqual(Object.values(MODEL_SETTING_KEYS).sort(), models);
  });

  it('puts colour and marking settings in the highlight section, so changing them reloads no model', () => {
    for (const key of [
      'highlight.style',
      'highlight.colorBy',
      'highlight.sentenceAnnotations',
      'highlight.maxSelectionLength',
    ])
      assert.equal(sectionOf(key), 'highlight', key);
    assert.equal(sectionOf('comments.harshness.threshold'), 'comments');
    assert.equal(sectionOf('comments.live'), 'comments');
  });

  it('has a model setting for every feature, each contributed by package.json', () => {
    for (const feature of FEATURE_IDS) assert.ok(MANIFEST_SETTING_KEYS.includes(MODEL_SETTING_KEYS[feature]), feature);
    assert.ok(MANIFEST_SETTING_KEYS.includes(MODEL_SETTING_KEYS.harshness));
  });
});
