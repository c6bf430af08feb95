// Installs the offline VS Code host (code-server + playwright-core) into its cache folder, or does nothing
// when it is already there. run.mjs and start.mjs call the same function on first use; CI calls this up front.
// Usage: node scripts/vscodeHost/install.mjs        env SENTIMENT_LENS_VSCODE_HOST: install folder
import { ensureHost, hostDir, isInstalled, vscodeVersion } from './host.mjs';

const already = isInstalled();
try {
  ensureHost();
} catch (error) {
  console.error(`[vscode-host] ${error.message}`);
  process.exit(1);
}
console.log(`[vscode-host] VS Code ${vscodeVersion()} ${already ? 'already installed' : 'ready'} in ${hostDir}`);
