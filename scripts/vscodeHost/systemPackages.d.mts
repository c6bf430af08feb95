/** Types of systemPackages.mjs for the TypeScript tests that install a system package through it. */
export function ensureSystemPackages(
  packages: readonly string[],
  options?: { dryRun?: boolean; logFile?: string },
): void;
