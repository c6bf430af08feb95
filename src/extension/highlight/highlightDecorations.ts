import * as vscode from 'vscode';
import { BUCKET_COUNT } from '../../core/classify/scoring';
import type { HighlightStyle } from '../config';

/** The contributed colour ids of the buckets, strongly negative first (package.json `contributes.colors`). */
export const BUCKET_COLOUR_IDS: readonly string[] = Object.freeze([
  'sentimentLens.negative3Background',
  'sentimentLens.negative2Background',
  'sentimentLens.negative1Background',
  'sentimentLens.neutralBackground',
  'sentimentLens.positive1Background',
  'sentimentLens.positive2Background',
  'sentimentLens.positive3Background',
]);

/** Contributed colours of the sentence annotations. */
export const ANNOTATION_COLOUR_IDS = Object.freeze({
  negative: 'sentimentLens.annotationNegativeForeground',
  neutral: 'sentimentLens.annotationNeutralForeground',
  positive: 'sentimentLens.annotationPositiveForeground',
});

/**
 * The decoration types of highlighted words (one per colour bucket) and of the sentence
 * annotations. Created once; rebuilt only when the style setting or the theme kind changes
 * (high-contrast themes get an outline as well as the colour).
 */
export class HighlightDecorations implements vscode.Disposable {
  private types: vscode.TextEditorDecorationType[] = [];
  private annotationType!: vscode.TextEditorDecorationType;
  private builtFor = '';

  constructor(style: HighlightStyle) {
    this.rebuild(style);
  }

  /** Decoration type of each bucket, index = bucket. */
  get bucketTypes(): readonly vscode.TextEditorDecorationType[] {
    return this.types;
  }

  /** Decoration type of the annotations after sentences (content set per range). */
  get annotation(): vscode.TextEditorDecorationType {
    return this.annotationType;
  }

  /**
   * Recreates the types when the style or theme kind differs from what they were built for.
   * Returns true when it did (the caller repaints: disposing a type removes its decorations).
   */
  rebuild(style: HighlightStyle): boolean {
    const kind = vscode.window.activeColorTheme.kind;
    const key = `${style}/${kind}`;
    if (key === this.builtFor) return false;
    this.disposeTypes();
    const highContrast =
      kind === vscode.ColorThemeKind.HighContrast || kind === vscode.ColorThemeKind.HighContrastLight;
    this.types = Array.from({ length: BUCKET_COUNT }, (_, bucket) => {
      const colour = new vscode.ThemeColor(BUCKET_COLOUR_IDS[bucket]);
      const options: vscode.DecorationRenderOptions =
        style === 'underline'
          ? { borderStyle: 'solid', borderColor: colour, borderWidth: highContrast ? '0 0 3px 0' : '0 0 2px 0' }
          : {
              backgroundColor: colour,
              borderRadius: '2px',
              ...(highContrast ? { outlineColor: colour, outlineStyle: 'solid', outlineWidth: '1px' } : {}),
            };
      return vscode.window.createTextEditorDecorationType({
        ...options,
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      });
    });
    this.annotationType = vscode.window.createTextEditorDecorationType({
      after: { margin: '0 0 0 1em', fontStyle: 'italic' },
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
    this.builtFor = key;
    return true;
  }

  private disposeTypes(): void {
    this.types.forEach((t) => t.dispose());
    this.annotationType?.dispose();
    this.types = [];
  }

  dispose(): void {
    this.disposeTypes();
  }
}
