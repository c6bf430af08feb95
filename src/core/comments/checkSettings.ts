/**
 * The facts of the comment check that the editor and the command line share: the kinds of finding,
 * their setting keys, and their defaults. The defaults are read from the extension's manifest
 * (`contributes.configuration` in package.json), so each is written down once.
 */
import manifest from '../../../package.json';

/** What a finding says about a sentence: harsh (insults, profanity, mocking...) or negative in tone. */
export type FindingKind = 'harsh' | 'negative';

/** Every kind, in the order findings on one sentence are reported. */
export const FINDING_KINDS: readonly FindingKind[] = Object.freeze(['harsh', 'negative']);

/** Severity names as the settings spell them. */
export type SeverityName = 'error' | 'warning' | 'information' | 'hint';

/** Every severity name, most severe first. */
export const SEVERITY_NAMES: readonly SeverityName[] = Object.freeze(['error', 'warning', 'information', 'hint']);

/** The settings (under `sentimentLens.`) of one kind of finding. */
export interface KindSettingKeys {
  readonly model: string;
  readonly threshold: string;
  readonly severity: string;
}

/** Setting keys per kind. Negative tone keeps the original `comments.*` keys. */
export const CHECK_SETTING_KEYS: Readonly<Record<FindingKind, KindSettingKeys>> = Object.freeze({
  harsh: Object.freeze({
    model: 'comments.harshness.model',
    threshold: 'comments.harshness.threshold',
    severity: 'comments.harshness.severity',
  }),
  negative: Object.freeze({ model: 'comments.model', threshold: 'comments.threshold', severity: 'comments.severity' }),
});

/** The defaults of one kind of finding. */
export interface KindDefaults {
  /** Name of the bundled model (a folder under model/). */
  readonly model: string;
  /** A sentence whose probability of the kind's class is at least this is a finding. */
  readonly threshold: number;
  readonly severity: SeverityName;
  /** Lowest and highest threshold the setting accepts. */
  readonly minimumThreshold: number;
  readonly maximumThreshold: number;
}

/** A setting as package.json contributes it (the parts read here). */
export interface ManifestProperty {
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly enum?: readonly string[];
}

/** Every setting key package.json contributes, without the `sentimentLens.` prefix. */
export const MANIFEST_SETTING_KEYS: readonly string[] = Object.freeze(
  Object.keys(manifest.contributes.configuration.properties).map((key) => key.replace(/^sentimentLens\./, '')),
);

/** The setting `sentimentLens.<key>` as package.json contributes it; throws when there is none. */
export function manifestSetting(key: string): ManifestProperty {
  const properties = manifest.contributes.configuration.properties as Record<string, ManifestProperty>;
  const found = properties[`sentimentLens.${key}`];
  if (!found) throw new Error(`package.json contributes no setting sentimentLens.${key}`);
  return found;
}

function defaultsOf(keys: KindSettingKeys): KindDefaults {
  const threshold = manifestSetting(keys.threshold);
  const severity = manifestSetting(keys.severity).default;
  return Object.freeze({
    model: String(manifestSetting(keys.model).default),
    threshold: Number(threshold.default),
    severity: SEVERITY_NAMES.includes(severity as SeverityName) ? (severity as SeverityName) : 'information',
    minimumThreshold: threshold.minimum ?? 0,
    maximumThreshold: threshold.maximum ?? 1,
  });
}

/** Defaults per kind, from package.json. */
export const CHECK_DEFAULTS: Readonly<Record<FindingKind, KindDefaults>> = Object.freeze({
  harsh: defaultsOf(CHECK_SETTING_KEYS.harsh),
  negative: defaultsOf(CHECK_SETTING_KEYS.negative),
});
