/**
 * Class names of the review-comment models, and the names public data sets give the same classes,
 * so that a labelled file of toxicity or incivility can be evaluated against the harshness model as is.
 */

/** The harshness model's classes. */
export const HARSH_LABEL = 'harsh';
export const NOT_HARSH_LABEL = 'not-harsh';

/** Gold labels of other data sets and the model class each one means. */
export const LABEL_ALIASES: ReadonlyMap<string, string> = new Map([
  ['toxic', HARSH_LABEL],
  ['uncivil', HARSH_LABEL],
  ['non-toxic', NOT_HARSH_LABEL],
  ['not-toxic', NOT_HARSH_LABEL],
  ['civil', NOT_HARSH_LABEL],
]);

/**
 * A gold label as one of the model's classes: itself when the model has it, else its alias when the
 * model has that, else undefined (the label is unknown to the model).
 */
export function modelClassOf(goldLabel: string, modelLabels: readonly string[]): string | undefined {
  if (modelLabels.includes(goldLabel)) return goldLabel;
  const alias = LABEL_ALIASES.get(goldLabel.toLowerCase());
  return alias !== undefined && modelLabels.includes(alias) ? alias : undefined;
}
