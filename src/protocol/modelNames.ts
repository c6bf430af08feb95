/**
 * What a user model may be called: a letter or digit, then letters, digits, '.', '_' or '-', at most
 * 64 in all. The host checks names with MODEL_NAME; the panel's name field uses the same pattern.
 * Imports nothing.
 */

/** The pattern without anchors, as an HTML `pattern` attribute takes it (valid with the u and v flags too). */
export const MODEL_NAME_PATTERN = '[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}';

/** A whole valid model name. */
export const MODEL_NAME = new RegExp(`^${MODEL_NAME_PATTERN}$`);

/** The rule in words, for messages and help. */
export const MODEL_NAME_RULE = "letters, digits, '.', '_' or '-' (starting with a letter or digit, at most 64)";
