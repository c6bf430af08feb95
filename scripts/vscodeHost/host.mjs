// The offline VS Code host shared by the integration harness (run.mjs) and `npm start` (start.mjs):
// code-server (a VS Code server with the web workbench, from npm) plus playwright-core to drive Debian's
// chromium. Installed once into a cache folder outside the repo and reused while its marker file is there.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { BROWSER_PACKAGE, BUILD_PACKAGES, chromiumPath, ensureSystemPackages, onPath } from './systemPackages.mjs';

export { chromiumPath };

/** Pinned versions: code-server 4.100.3 is VS Code 1.100.3 and runs on Node 20. */
export const CODE_SERVER_VERSION = '4.100.3';
export const PLAYWRIGHT_CORE_VERSION = '1.65.1';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the host lives; SENTIMENT_LENS_VSCODE_HOST overrides it. */
export const hostDir = resolve(
  process.env.SENTIMENT_LENS_VSCODE_HOST ||
    join(
      process.env.XDG_CACHE_HOME || join(homedir(), '.cache'),
      'sentiment-lens',
      `vscode-host-${CODE_SERVER_VERSION}`,
    ),
);
const markerFile = join(hostDir, '.installed.json');

const log = (msg) => console.log(`[vscode-host] ${msg}`);

/** True when a previous install of exactly the pinned versions finished. */
export function isInstalled() {
  try {
    const marker = JSON.parse(readFileSync(markerFile, 'utf8'));
    return marker.codeServer === CODE_SERVER_VERSION && marker.playwrightCore === PLAYWRIGHT_CORE_VERSION;
  } catch {
    return false;
  }
}

/**
 * Makes the host ready: installs the missing system packages (systemPackages.mjs) it needs, the build tools
 * unless the host is already installed and, with `browser`, Chromium (unless CHROMIUM names one); then the
 * host itself unless the marker says it is there. Prints what it does; with dryRun, only what it would do.
 * Throws with an actionable message (the command to run) when it cannot.
 */
export function ensureHost({ browser = false, dryRun = false } = {}) {
  const installed = isInstalled();
  const packages = [
    ...(installed ? [] : BUILD_PACKAGES),
    ...(browser && !process.env.CHROMIUM ? [BROWSER_PACKAGE] : []),
  ];
  mkdirSync(dirname(hostDir), { recursive: true });
  ensureSystemPackages(packages, { dryRun, logFile: join(dirname(hostDir), 'apt-get.log') });
  if (installed) return;
  if (dryRun) {
    log(
      `would install code-server ${CODE_SERVER_VERSION} + playwright-core ${PLAYWRIGHT_CORE_VERSION} into ${hostDir}`,
    );
    return;
  }

  log(
    `installing code-server ${CODE_SERVER_VERSION} + playwright-core ${PLAYWRIGHT_CORE_VERSION} into ${hostDir} (first use, a few minutes)`,
  );
  const started = Date.now();
  rmSync(hostDir, { recursive: true, force: true }); // a half-finished earlier attempt is not reused
  mkdirSync(hostDir, { recursive: true });
  writeFileSync(
    join(hostDir, 'package.json'),
    JSON.stringify({ name: 'sentiment-lens-vscode-host', private: true }, null, 2),
  );

  // code-server 4.100 depends on @vscode/ripgrep, whose postinstall downloads rg from GitHub unless a tarball
  // is already cached under the temp dir: seed that cache from Debian's rg.
  const rg = onPath('rg');
  if (!rg) throw new Error('ripgrep (rg) is not on PATH');
  for (const version of ['1.15.9', '1.15.10', '1.15.11', '1.15.14']) {
    const cache = join(tmpdir(), `vscode-ripgrep-cache-${version}`);
    mkdirSync(cache, { recursive: true });
    const tar = spawnSync(
      'tar',
      ['czf', join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz'), basename(rg)],
      { cwd: dirname(rg) },
    );
    if (tar.status !== 0) throw new Error(`seeding the ripgrep cache failed: ${tar.stderr}`);
  }

  // code-server's postinstall runs npm install in lib/vscode and compiles native modules with node-gyp.
  // unsafe_perm: its postinstall refuses to run as root without it; yes: node-pty runs `npx node-gyp`.
  const logFile = join(hostDir, 'install.log');
  const logFd = openSync(logFile, 'w');
  const npm = spawnSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--foreground-scripts',
      `code-server@${CODE_SERVER_VERSION}`,
      `playwright-core@${PLAYWRIGHT_CORE_VERSION}`,
    ],
    {
      cwd: hostDir,
      stdio: ['ignore', logFd, logFd],
      env: { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' },
    },
  );
  closeSync(logFd);
  if (npm.status !== 0) {
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
    throw new Error(`npm install of the VS Code host failed (status ${npm.status}); full log: ${logFile}\n${tail}`);
  }
  writeFileSync(
    markerFile,
    JSON.stringify(
      {
        codeServer: CODE_SERVER_VERSION,
        playwrightCore: PLAYWRIGHT_CORE_VERSION,
        vscode: vscodeVersion(),
        node: process.version,
        installedAt: new Date().toISOString(),
      },
      null,
      2,
    ),
  );
  log(`installed VS Code ${vscodeVersion()} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** The VS Code version inside the installed code-server. */
export function vscodeVersion() {
  return JSON.parse(readFileSync(join(hostDir, 'node_modules', 'code-server', 'lib', 'vscode', 'package.json'), 'utf8'))
    .version;
}

/** playwright-core from the host folder (it is not a dependency of the repo). */
export function loadPlaywright() {
  return createRequire(join(hostDir, 'package.json'))('playwright-core');
}

/** A free loopback port. */
export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer()
      .once('error', fail)
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address();
        server.close(() => done(port));
      });
  });
}

/** Workbench settings for a quiet, repeatable session. */
const userSettings = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'window.commandCenter': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/**
 * Starts code-server on 127.0.0.1:port in its own process group, with its profile, logs and XDG folders
 * under `stateDir`. Resolves once it listens; `stop()` ends the whole process group.
 */
export async function startCodeServer({ port, stateDir, env = {}, logStream }) {
  const userData = join(stateDir, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  writeFileSync(join(stateDir, 'config.yaml'), '');
  const entry = join(hostDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const child = spawn(
    process.execPath,
    [
      entry,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--config',
      join(stateDir, 'config.yaml'),
      '--user-data-dir',
      userData,
      '--extensions-dir',
      join(stateDir, 'extensions'),
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
    ],
    {
      detached: true, // its own process group, so stop() also ends the extension host and other helpers
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...xdgDirs(stateDir), ...env },
    },
  );
  if (logStream) {
    child.stdout.pipe(logStream);
    child.stderr.pipe(logStream);
  }
  await new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error('code-server did not start within 60 s')), 60_000);
    const onData = (data) => {
      if (/HTTP server listening on/.test(data)) {
        clearTimeout(timer);
        done();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`code-server exited during start (${code})`));
    });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  return { child, stop };
}

/**
 * Installs a .vsix into the profile that startCodeServer({ stateDir }) uses, as a user would
 * (`code-server --install-extension`). Returns code-server's output; throws when it fails.
 */
export function installVsix({ stateDir, vsix }) {
  const entry = join(hostDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  writeFileSync(join(stateDir, 'config.yaml'), ''); // else code-server writes one with a password there
  const install = spawnSync(
    process.execPath,
    [
      entry,
      '--install-extension',
      vsix,
      '--user-data-dir',
      join(stateDir, 'user-data'),
      '--extensions-dir',
      join(stateDir, 'extensions'),
      '--config',
      join(stateDir, 'config.yaml'),
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, ...xdgDirs(stateDir) },
      timeout: 120_000,
    },
  );
  const output = `${install.stdout}${install.stderr}`.trim();
  if (install.status !== 0)
    throw new Error(`--install-extension ${vsix} failed (status ${install.status ?? install.signal}): ${output}`);
  return output;
}

/** XDG folders inside the session's state folder, so nothing is written to $HOME. */
export function xdgDirs(stateDir) {
  return {
    XDG_CONFIG_HOME: join(stateDir, 'xdg-config'),
    XDG_DATA_HOME: join(stateDir, 'xdg-data'),
    XDG_CACHE_HOME: join(stateDir, 'xdg-cache'),
  };
}

/** The workbench URL that opens `folder` with the extension under development (if any) and optionally a test payload. */
export function workbenchUrl({ port, folder, extensionDevelopmentPath, extensionTestsPath }) {
  const host = `127.0.0.1:${port}`;
  const payload = extensionDevelopmentPath
    ? [['extensionDevelopmentPath', `vscode-remote://${host}${extensionDevelopmentPath}`]]
    : [];
  if (extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://${host}${extensionTestsPath}`]);
  payload.push(['skipWelcome', 'true'], ['skipReleaseNotes', 'true']);
  return `http://${host}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
