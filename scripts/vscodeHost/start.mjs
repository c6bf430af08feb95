// `npm start`: opens the built extension in a real VS Code on the sample workspace (test/fixtures/workspace).
// Desktop VS Code when `code` is on PATH; otherwise (or with --offline) the offline host: code-server on
// 127.0.0.1, whose URL is printed for a browser. It stays up until Ctrl+C, then ends its whole process group.
// Usage: node scripts/vscodeHost/start.mjs [--offline]     env SENTIMENT_LENS_PORT (default: a free port)
import { spawnSync } from 'node:child_process';
import { accessSync, constants, createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ensureHost, freePort, repoRoot, startCodeServer, vscodeVersion, workbenchUrl } from './host.mjs';

const workspace = join(repoRoot, 'test', 'fixtures', 'workspace');

function onPath(command) {
  return (process.env.PATH || '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

if (!process.argv.includes('--offline') && onPath('code')) {
  const desktop = spawnSync('code', [`--extensionDevelopmentPath=${repoRoot}`, workspace], { stdio: 'inherit' });
  process.exit(desktop.status ?? 1);
}

try {
  ensureHost();
} catch (error) {
  console.error(`[vscode-host] ${error.message}`);
  process.exit(2);
}
const stateDir = mkdtempSync(join(tmpdir(), 'sentiment-lens-start-'));
const logFile = join(stateDir, 'code-server.log');
const port = Number(process.env.SENTIMENT_LENS_PORT) || (await freePort());
let codeServer,
  stopping = false;

async function stop(status) {
  if (stopping) return;
  stopping = true;
  await codeServer?.stop();
  rmSync(stateDir, { recursive: true, force: true, maxRetries: 5 });
  process.exit(status);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.log(`\n[vscode-host] ${signal}: stopping VS Code`);
    stop(0);
  });
}
// A signal sent to npm alone (e.g. `timeout npm start`) does not reach this process: stop when the
// parent that started us is gone, so VS Code never outlives the command that started it.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) {
    console.log('\n[vscode-host] parent process gone: stopping VS Code');
    stop(0);
  }
}, 1000).unref();

try {
  codeServer = await startCodeServer({ port, stateDir, logStream: createWriteStream(logFile) });
} catch (error) {
  console.error(`[vscode-host] ${error.message}\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
  await stop(2);
}
codeServer.child.once('exit', (code) => {
  if (stopping) return;
  console.error(`[vscode-host] code-server exited (${code})\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
  stop(1);
});
console.log(
  `[vscode-host] VS Code ${vscodeVersion()} with Sentiment Lens on the sample workspace, open:\n\n  ${workbenchUrl({
    port,
    folder: workspace,
    extensionDevelopmentPath: repoRoot,
  })}\n\nCtrl+C stops it.`,
);
