/**
 * How pieces of user data (labels, column names) appear in messages: short ones whole, long ones
 * cut, long lists summarised, so that a 1 MB label or a file with thousands of labels gives a
 * readable message. Imports nothing.
 */

/** Longest piece of user text quoted whole in a message. */
export const MAX_QUOTED_CHARS = 80;

/** Most items of a list named in a message. */
export const MAX_LISTED_ITEMS = 10;

/** `text` when it is at most `max` characters, else its start, "…" and its length. */
export function abbreviate(text: string, max = MAX_QUOTED_CHARS): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // do not cut a surrogate pair in half
  return `${text.slice(0, end)}… (${text.length} characters)`;
}

/** The first `max` items (each abbreviated) joined with ", ", then "and N more" when there are more. */
export function listSome(items: readonly string[], max = MAX_LISTED_ITEMS): string {
  const shown = items
    .slice(0, max)
    .map((item) => abbreviate(item))
    .join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}
