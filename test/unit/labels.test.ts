import * as assert from 'node:assert/strict';
import { HARSH_LABEL, modelClassOf, NOT_HARSH_LABEL } from '../../src/core/classify/labels';

describe('core/classify/labels', () => {
  const harshness = [HARSH_LABEL, NOT_HARSH_LABEL];

  it('keeps a gold label the model has', () => {
    assert.equal(modelClassOf('not-harsh', harshness), NOT_HARSH_LABEL);
    assert.equal(modelClassOf('neutral', ['negative', 'neutral', 'positive']), 'neutral');
  });

  it('reads toxicity and incivility labels as the harshness classes', () => {
    assert.equal(modelClassOf('toxic', harshness), HARSH_LABEL);
    assert.equal(modelClassOf('Non-Toxic', harshness), NOT_HARSH_LABEL);
    assert.equal(modelClassOf('uncivil', harshness), HARSH_LABEL);
    assert.equal(modelClassOf('civil', harshness), NOT_HARSH_LABEL);
  });

  it('leaves a label unknown when the model lacks both it and its alias', () => {
    assert.equal(modelClassOf('toxic', ['negative', 'neutral', 'positive']), undefined);
    assert.equal(modelClassOf('non-negative', ['negative', 'neutral', 'positive']), undefined);
    assert.equal(modelClassOf('__proto__', harshness), undefined);
  });
});
