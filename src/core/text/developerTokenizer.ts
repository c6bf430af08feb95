/**
 * Tokenization of developers' writing (review comments, issues, Stack Overflow posts): the English
 * rules plus URLs, @mentions, issue numbers (#123, owner/repo#123), inline code and fenced code
 * blocks, emoticons, emoji and GitHub :shortcodes:, +1 / -1 votes, and code identifiers (camelCase
 * and snake_case split into their words). Placeholders such as `<url>` stand for things whose exact
 * text carries no tone; ranges still cover the original characters.
 */
import { splitClitics } from './clitics';
import type { Token, TokenizerSettings } from './tokens';

// Order matters where two patterns can start at the same character: fenced code before inline code,
// a cross-repository issue before the identifier that starts it, a :shortcode: before an emoticon.
const PATTERNS = {
  url: String.raw`\b(?:https?://|www\.)[^\s<>()"'\x60]+[^\s<>()"'\x60.,;:!?]`,
  mention: String.raw`(?<![\p{L}\p{N}_])@[\p{L}\p{N}_-]+`,
  issue: String.raw`(?<![\p{L}\p{N}_&])(?:[\p{L}\p{N}_.-]+/[\p{L}\p{N}_.-]+)?#\d+\b`,
  code: String.raw`\x60{3}[^]*?\x60{3}|\x60[^\x60\n]+\x60`,
  shortcode: String.raw`(?<![\p{L}\p{N}_:]):[a-z0-9_+-]{2,}:(?![\p{L}\p{N}_/])`,
  vote: String.raw`(?<![\p{L}\p{N}_+-])[+-]1(?![\p{N}_]|[.,]\p{N})`,
  emoji: String.raw`\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier}|\u200D\p{Extended_Pictographic})*`,
  shrug: String.raw`¯\\_\(ツ\)_/¯`,
  emoticon: String.raw`(?<![\p{L}\p{N}])(?:[:;=8][-o^']?[)(\]\[dDpP/\\|*3]+|<3|\^_?\^|[)(\]\[][-o^']?[:;=8])(?![\p{L}\p{N}])`,
  identifier: String.raw`[\p{L}\p{N}_]+(?:['\u2019][\p{L}\p{N}]+)*`,
  punctuation: String.raw`[,!?()]`,
};
const DEVELOPER_TOKEN = new RegExp(
  Object.entries(PATTERNS)
    .map(([name, source]) => `(?<${name}>${source})`)
    .join('|'),
  'gu',
);
/** Boundaries inside identifiers: snake_case underscores and camelCase humps (fooBar, HTTPServer). */
const IDENTIFIER_PART = /[\p{Lu}]+(?![\p{Ll}])|[\p{Lu}]?[\p{Ll}]+(?:['\u2019][\p{L}]+)*|\p{N}+/gu;

const EMOJI_VARIATION = /\uFE0F|\p{Emoji_Modifier}/gu;

const PLACEHOLDERS: Record<string, string> = { url: '<url>', mention: '<user>', issue: '<issue>', code: '<code>' };

/** Tokens of developers' text with their ranges in the original string. */
export function tokenizeDeveloperText(text: string, settings: TokenizerSettings): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(DEVELOPER_TOKEN)) {
    const start = match.index ?? 0;
    const raw = match[0];
    const kind = Object.keys(PLACEHOLDERS).find((name) => match.groups?.[name] !== undefined);
    if (kind) {
      tokens.push({ text: PLACEHOLDERS[kind], start, end: start + raw.length });
    } else if (
      match.groups?.emoticon !== undefined ||
      match.groups?.shortcode !== undefined ||
      match.groups?.vote !== undefined ||
      match.groups?.shrug !== undefined
    ) {
      tokens.push({ text: raw.toLowerCase(), start, end: start + raw.length });
    } else if (match.groups?.emoji !== undefined) {
      // Skin tones and presentation selectors do not change the tone: 👍🏽 and 👍️ are 👍.
      tokens.push({ text: raw.replace(EMOJI_VARIATION, ''), start, end: start + raw.length });
    } else if (match.groups?.identifier !== undefined && /[_]|\p{Ll}\p{Lu}|\p{Lu}{2}\p{Ll}/u.test(raw)) {
      for (const part of raw.matchAll(IDENTIFIER_PART)) {
        splitClitics(part[0], start + (part.index ?? 0), settings, tokens);
      }
    } else {
      splitClitics(raw, start, settings, tokens);
    }
  }
  return tokens;
}
