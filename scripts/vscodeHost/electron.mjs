// Runs the same integration suite (out/integration/index.js) in desktop VS Code via @vscode/test-electron.
// Needs internet (it downloads VS Code into .vscode-test/) and a display (on a headless Linux CI: xvfb-run).
// Usage: node scripts/vscodeHost/electron.mjs      env VSCODE_VERSION (default: the offline host's 1.100.3)
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './host.mjs';

// Tests may change files: they get a copy of the sample workspace, as in the offline harness.
const stateDir = mkdtempSync(join(tmpdir(), 'sentiment-lens-electron-'));
const workspace = join(stateDir, 'workspace');
cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });

let status = 0;
try {
  await runTests({
    version: process.env.VSCODE_VERSION || '1.100.3',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: join(repoRoot, 'out', 'integration', 'index.js'),
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--user-data-dir',
      join(stateDir, 'user-data'),
    ],
  });
} catch (error) {
  console.error(`integration tests failed: ${error.message ?? error}`);
  status = 1;
} finally {
  rmSync(stateDir, { recursive: true, force: true, maxRetries: 5 });
}
process.exit(status);
