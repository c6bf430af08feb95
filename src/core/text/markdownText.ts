/**
 * User data (labels, model names) inside Markdown shown by the editor (hovers, tooltips): shown
 * literally, never read as markup, links or images, and cut when long.
 */
import { abbreviate } from '../readers/displayText';

/** One line, cut to the quoting limit. */
function oneLine(text: string): string {
  return abbreviate(text).replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/** `text` as literal Markdown text: every ASCII punctuation character is backslash-escaped (so no emphasis, link, image, HTML or autolink can form). */
export function markdownLiteral(text: string): string {
  return oneLine(text).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** A Markdown code span showing `text` literally, whatever backticks it holds. */
export function markdownCode(text: string): string {
  const shown = oneLine(text);
  const longestRun = (shown.match(/`+/g) ?? []).reduce((longest, run) => Math.max(longest, run.length), 0);
  const fence = '`'.repeat(longestRun + 1);
  const pad = shown === '' || shown.startsWith('`') || shown.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}
