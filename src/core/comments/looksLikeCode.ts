/**
 * A cheap heuristic for commented-out code, so callers can skip `// foo(bar);` when checking tone.
 * A line looks like code when it has the shape of a statement (ends in `;`, `{` or `}`, an
 * assignment, a bare call, a declaration, a block header) or is dense in `;{}[]=<>|&` characters;
 * a text looks like code when at least half of its non-blank lines do.
 */

const CODE_SHAPES: readonly RegExp[] = [
  /[;{}]\s*$/,
  /^\s*[}\])]/,
  /^\s*(?:if|for|while|switch|catch)\s*\(.*\)\s*(?:\{|$|[\w$.]+\s*\(|return\b)/,
  /^\s*(?:import|export|package|using|require|#include|#define)\b.*(?:;|['"<>]|\bfrom\b|\*)/,
  /^\s*(?:const|let|var|val|int|long|bool|auto|fn|func|function|def|class|struct|public|private|protected|static)\s+[\w$]+\s*[=(:<{]/,
  /^\s*(?:def|class)\s+\w+.*:\s*$/,
  /^\s*(?:else|try|finally)\s*:\s*$/,
  /^\s*[\w$.[\]'"]+\s*(?:[-+*/%|&]?=|=>)\s*\S/,
  /^\s*[\w$.]+\([^()]*\)\s*;?\s*$/,
  /=>|===|!==|&&|\|\||::|->/,
];
const SYMBOLS = /[;{}[\]=<>|&]/g;

/** True when one line has the shape of code. */
function lineLooksLikeCode(line: string): boolean {
  if (CODE_SHAPES.some((shape) => shape.test(line))) return true;
  const nonSpace = line.replace(/\s+/g, '').length;
  const symbols = line.match(SYMBOLS)?.length ?? 0;
  return symbols >= 2 && symbols / nonSpace >= 0.1;
}

/**
 * Whether comment text is probably commented-out code rather than prose: true when at least half
 * of its non-blank lines look like code. Empty text is not code.
 * @param text a CommentBlock's `text` (markers already removed).
 */
export function looksLikeCode(text: string): boolean {
  let lines = 0;
  let codeLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    lines++;
    if (lineLooksLikeCode(line)) codeLines++;
  }
  return lines > 0 && codeLines * 2 >= lines;
}
