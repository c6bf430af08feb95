// Sample code with review comments for Sentiment Lens's tone check.

// Thanks for splitting this out, it reads much better now.
export function parsePort(text: string): number {
  const port = Number(text);
  // this is a terrible hack and whoever wrote it should be ashamed
  if (!Number.isInteger(port)) return 8080;
  return port;
}

/**
 * Nice, clean helper: one loop, no special cases.
 */
export function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

// Why is this still here? It is useless, slow and wrong.
export const legacyTimeoutMs = 30_000;
