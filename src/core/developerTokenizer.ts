/**
 * Tokenization of developers' writing (review comments, issues, Stack Overflow posts): the English
 * rules plus URLs, @mentions, issue numbers, inline code, emoticons and code identifiers
 * (camelCase and snake_case split into their words). Placeholders such as `<url>` stand for
 * things whose exact text carries no tone; ranges still cover the original characters.
 */
import { splitClitics, Token, TokenizerSettings } from './tokenizer';

const PATTERNS = {
  url: String.raw`\b(?:https?://|www\.)[^\s<>()"'\x60]+[^\s<>()"'\x60.,;:!?]`,
  mention: String.raw`(?<![\p{L}\p{N}_])@[\p{L}\p{N}_-]+`,
  issue: String.raw`(?<![\p{L}\p{N}_&])#\d+\b`,
  code: String.raw`\x60[^\x60\n]+\x60`,
  emoticon: String.raw`(?<![\p{L}\p{N}])(?:[:;=8][-o^']?[)(\]\[dDpP/\\|*3]+|<3|\^_?\^|[)(\]\[][-o^']?[:;=8])(?![\p{L}\p{N}])`,
  identifier: String.raw`[\p{L}\p{N}_]+(?:['\u2019][\p{L}\p{N}]+)*`,
  punctuation: String.raw`[,!?()]`,
};
const DEVELOPER_TOKEN = new RegExp(
  Object.entries(PATTERNS).map(([name, source]) => `(?<${name}>${source})`).join('|'),
  'gu',
);
/** Boundaries inside identifiers: snake_case underscores and camelCase humps (fooBar, HTTPServer). */
const IDENTIFIER_PART = /[\p{Lu}]+(?![\p{Ll}])|[\p{Lu}]?[\p{Ll}]+(?:['\u2019][\p{L}]+)*|\p{N}+/gu;

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
    } else if (match.groups?.emoticon !== undefined) {
      tokens.push({ text: raw.toLowerCase(), start, end: start + raw.length });
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
