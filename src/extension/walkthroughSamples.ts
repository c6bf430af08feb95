/** The Getting Started walkthrough's sample files, shipped in media/walkthrough/samples/ (no vscode import: unit-tested). */
export const WALKTHROUGH_SAMPLES = {
  review: 'review.md',
  comments: 'comments.ts',
  training: 'reviews.tsv',
} as const;

/** A sample's name: the argument of the walkthrough's `sentimentLens.openSample` links. */
export type WalkthroughSample = keyof typeof WALKTHROUGH_SAMPLES;
