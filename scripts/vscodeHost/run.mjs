// Runs the integration suite inside a real VS Code, offline: code-server's Node extension host loads the
// extension and out/integration/index.js; headless chromium (playwright-core) shows the workbench.
// With --vsix=FILE: installs that package into the fresh profile (--install-extension) and runs the smoke
// suite out/package/index.js against the installed extension instead; no extension loads from the repo.
// Exit status: 0 all tests passed, 1 a test failed, 2 harness error or timeout.
// Usage: node scripts/vscodeHost/run.mjs [--timeout=SECONDS] [--vsix=FILE]
// Env: SENTIMENT_LENS_VSCODE_HOST (host folder), CHROMIUM, HARNESS_DEBUG=1 (all page console output).
// The tests get HARNESS_URL, a loopback API: /screenshot?name=x writes screenshots/x.png, /frames returns iframe DOMs
// (the first 4000 characters of each body, or with ?selector=css the outer HTML of the first match, up to 100,000).
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { format } from 'node:util';
import {
  chromiumPath,
  ensureHost,
  freePort,
  installVsix,
  loadPlaywright,
  repoRoot,
  startCodeServer,
  vscodeVersion,
  workbenchUrl,
  xdgDirs,
} from './host.mjs';

const option = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const timeoutSeconds = Number(option('timeout') ?? 300);
const vsix = option('vsix') && resolve(option('vsix'));
const screenshotsDir = join(repoRoot, 'screenshots');
const codeServerLog = vsix ? 'code-server-package.log' : 'code-server.log';
const extensionTestsPath = join(repoRoot, 'out', vsix ? 'package' : 'integration', 'index.js');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const say = (msg) => console.log(`[harness] ${msg}`);
const workbenchChatter =
  /ENOTFOUND|ERR_NAME_NOT_RESOLVED|^\s*at |connection token|Creating a socket|\[Service Worker\]|ChatSessionStore|builtin extensions cache|Creation of workbench contribution/;

let codeServer,
  browser,
  page,
  finished = false;
// Tests may change files: they get a copy of the sample workspace, never the repo's own.
const stateDir = mkdtempSync(join(tmpdir(), 'sentiment-lens-it-'));
const workspace = join(stateDir, 'workspace');
const smokeStub = join(stateDir, 'smoke-stub');

async function finish(status, why) {
  if (finished) return;
  finished = true;
  say(`${why} -> exit ${status} after ${elapsed()}`);
  if (status === 2 && page) {
    try {
      await page.screenshot({ path: join(screenshotsDir, 'harness-failure.png') });
      say(`see screenshots/harness-failure.png and screenshots/${codeServerLog}`);
    } catch {}
  }
  try {
    await browser?.close();
  } catch {}
  await codeServer?.stop();
  harnessApi.close();
  rmSync(stateDir, { recursive: true, force: true, maxRetries: 5 });
  process.exit(status);
}

// The loopback API the tests call from the extension host (HARNESS_URL).
const harnessApi = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  try {
    if (url.pathname === '/screenshot') {
      const name = (url.searchParams.get('name') || 'shot').replace(/[^\w.-]/g, '_');
      const file = join(screenshotsDir, `${name}.png`);
      await page.screenshot({ path: file });
      say(`screenshot ${file}`);
      return res.end(file);
    }
    if (url.pathname === '/frames') {
      const dumps = [];
      const selector = url.searchParams.get('selector');
      for (const frame of page.frames().filter((f) => f !== page.mainFrame())) {
        try {
          const html = selector
            ? await frame.evaluate((css) => document.querySelector(css)?.outerHTML.slice(0, 100_000) ?? '', selector)
            : await frame.evaluate(() => document.body?.innerHTML.slice(0, 4000) ?? '');
          dumps.push({ url: frame.url().slice(0, 160), html });
        } catch (error) {
          dumps.push({ url: frame.url(), error: String(error) });
        }
      }
      return res.end(JSON.stringify(dumps));
    }
    res.statusCode = 404;
    res.end();
  } catch (error) {
    res.statusCode = 500;
    res.end(String(error));
  }
});

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => finish(2, `interrupted (${signal})`));

// First use on a machine: install what is missing (system packages, the host), or say what to run.
try {
  ensureHost({ browser: true });
} catch (error) {
  console.error(`[setup] ${error.message}`);
  rmSync(stateDir, { recursive: true, force: true });
  process.exit(2);
}

try {
  if (!existsSync(extensionTestsPath))
    throw new Error(`${extensionTestsPath} is missing: run node scripts/buildTests.mjs first`);
  mkdirSync(screenshotsDir, { recursive: true });
  if (vsix) {
    const output = installVsix({ stateDir, vsix });
    say(`installed ${basename(vsix)} into a fresh profile: ${output.split('\n').at(-1)}`);
    // VS Code runs extensionTestsPath only beside an extension under development: an empty one, so the
    // installed package is the only Sentiment Lens.
    mkdirSync(smokeStub, { recursive: true });
    writeFileSync(
      join(smokeStub, 'package.json'),
      JSON.stringify({
        name: 'package-smoke-suite',
        publisher: 'sentiment-lens',
        version: '0.0.0',
        engines: { vscode: '*' },
      }),
    );
  }
  cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  await new Promise((done) => harnessApi.listen(0, '127.0.0.1', done));
  const port = await freePort();
  codeServer = await startCodeServer({
    port,
    stateDir,
    env: { HARNESS_URL: `http://127.0.0.1:${harnessApi.address().port}` },
    logStream: createWriteStream(join(screenshotsDir, codeServerLog)),
  });
  codeServer.child.once('exit', (code) => finish(2, `code-server exited early (${code})`));
  say(`VS Code ${vscodeVersion()} (code-server) on 127.0.0.1:${port} after ${elapsed()}`);

  const { chromium } = loadPlaywright();
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    env: { ...process.env, ...xdgDirs(stateDir) },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // The workbench forwards the extension host's console (mocha's reporter included) to codeAutomationLog,
  // and calls codeAutomationExit with the status once run() has settled.
  // Info lines (mocha's reporter among them) are printed as they are; the workbench's own chatter only with HARNESS_DEBUG.
  await context.exposeFunction('codeAutomationLog', (type, args) => {
    const line = format(...args);
    if (!process.env.HARNESS_DEBUG && workbenchChatter.test(line)) return;
    console.log(type === 'info' ? line : `[${type}] ${line}`);
  });
  await context.exposeFunction('codeAutomationExit', (status) =>
    finish(status === 0 ? 0 : 1, `tests finished with status ${status}`),
  );
  page = await context.newPage();
  if (process.env.HARNESS_DEBUG) page.on('console', (message) => console.log(`[page] ${message.text()}`));
  page.on('pageerror', (error) => console.log(`[pageerror] ${error.message}`));

  setTimeout(() => finish(2, `timeout after ${timeoutSeconds} s`), timeoutSeconds * 1000);
  await page.goto(
    workbenchUrl({
      port,
      folder: workspace,
      extensionDevelopmentPath: vsix ? smokeStub : repoRoot,
      extensionTestsPath,
    }),
  );
  if (!finished) say(`workbench loaded after ${elapsed()}`);
} catch (error) {
  await finish(2, `harness error: ${error.stack || error}`);
}
