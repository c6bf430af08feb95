/**
 * Which class names mean positive and which negative, wherever a model's labels are shown on a
 * positive-negative scale: the editor's scores (core/classify/scoring.ts) and the panel's report colours.
 * A harshness model's pair (harsh / not-harsh, toxic / non-toxic) counts as negative / positive, so
 * harsh words are red. Numbers ("0", "1") mean nothing by themselves (1 is positive in some data
 * sets and toxic in others). Imports nothing.
 */

const POSITIVE = /^(?:pos|positive|good|favou?rable|not-harsh|non-toxic)$/i;
const NEGATIVE = /^(?:neg|negative|bad|unfavou?rable|harsh|toxic)$/i;

/** The tone a class name stands for, or undefined when it has none. */
export function labelTone(label: string): 'positive' | 'negative' | undefined {
  return POSITIVE.test(label) ? 'positive' : NEGATIVE.test(label) ? 'negative' : undefined;
}
