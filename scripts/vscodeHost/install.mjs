// Makes the offline VS Code host ready: the missing system packages (apt-get, as root or with passwordless
// sudo) and code-server + playwright-core in the cache folder, or nothing when all is there. run.mjs and
// start.mjs do the same on each start; this runs it on its own, or shows what it would do.
// Usage: node scripts/vscodeHost/install.mjs [--browser] [--dry-run]
//   --browser: also Chromium (the integration tests need it; `npm start` does not)
//   --dry-run: print what would be installed and install nothing (exit 1 when it could not install it)
// Env: SENTIMENT_LENS_VSCODE_HOST (install folder), CHROMIUM (a browser binary instead of the package).
import { ensureHost, hostDir, isInstalled, vscodeVersion } from './host.mjs';

const dryRun = process.argv.includes('--dry-run');
const already = isInstalled();
try {
  ensureHost({ browser: process.argv.includes('--browser'), dryRun });
} catch (error) {
  console.error(`[vscode-host] ${error.message}`);
  process.exit(1);
}
if (!dryRun || already)
  console.log(`[vscode-host] VS Code ${vscodeVersion()} ${already ? 'already installed' : 'ready'} in ${hostDir}`);
