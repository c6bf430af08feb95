/**
 * What a user model may be called: a letter or digit, then letters, digits, '.', '_' or '-', at most
 * 64 in all. The host checks names with MODEL_NAME (and suggests them with suggestModelName); the
 * panel's name field uses the same pattern. Imports nothing.
 */

/** The characters a name may start with, and those it may go on with (as the inside of a [...] class). */
const FIRST = 'A-Za-z0-9';
const REST = 'A-Za-z0-9._\\-';
/** The longest name. */
const MAX_LENGTH = 64;

/** The pattern without anchors, as an HTML `pattern` attribute takes it (valid with the u and v flags too). */
export const MODEL_NAME_PATTERN = `[${FIRST}][${REST}]{0,${MAX_LENGTH - 1}}`;

/** A whole valid model name. */
export const MODEL_NAME = new RegExp(`^${MODEL_NAME_PATTERN}$`);

/** The rule in words, for messages and help. */
export const MODEL_NAME_RULE = `letters, digits, '.', '_' or '-' (starting with a letter or digit, at most ${MAX_LENGTH})`;

/**
 * A valid model name made from any text (a folder's name): other characters become '-', what
 * cannot start a name is dropped from the front, and the rest is cut to the longest name;
 * `fallback` when nothing is left.
 */
export function suggestModelName(text: string, fallback: string): string {
  const name = text
    .replace(new RegExp(`[^${REST}]`, 'g'), '-')
    .replace(new RegExp(`^[^${FIRST}]+`), '')
    .slice(0, MAX_LENGTH);
  return name || fallback;
}
