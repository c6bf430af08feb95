import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const install = path.join(root, 'scripts', 'vscodeHost', 'install.mjs');

interface Pretend {
  readonly missing?: string[];
  readonly root?: boolean;
  readonly sudo?: boolean;
  readonly apt?: boolean;
  readonly os?: string;
}

/**
 * `install.mjs --dry-run` with the machine's facts replaced by `pretend` (the SENTIMENT_LENS_SETUP_PRETEND
 * seam) and the host in `hostDir`: what it prints and its status. Nothing is installed.
 */
function dryRun(hostDir: string, pretend: Pretend, args: string[] = ['--browser'], env: Record<string, string> = {}) {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    SENTIMENT_LENS_VSCODE_HOST: hostDir,
    SENTIMENT_LENS_SETUP_PRETEND: JSON.stringify(pretend),
    ...env,
  };
  if (!('CHROMIUM' in env)) delete childEnv.CHROMIUM;
  const run = spawnSync(process.execPath, [install, '--dry-run', ...args], { encoding: 'utf8', env: childEnv });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('vscodeHost/systemPackages (install.mjs --dry-run)', () => {
  let hostDir: string;
  let installedHostDir: string;

  before(async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-setup-'));
    hostDir = path.join(tmp, 'fresh-host');
    // A host folder that looks installed: the marker of the pinned versions and code-server's VS Code version.
    installedHostDir = path.join(tmp, 'installed-host');
    const hostModule = path.join(root, 'scripts', 'vscodeHost', 'host.mjs');
    const { CODE_SERVER_VERSION, PLAYWRIGHT_CORE_VERSION } = await import(hostModule);
    fs.mkdirSync(path.join(installedHostDir, 'node_modules', 'code-server', 'lib', 'vscode'), { recursive: true });
    fs.writeFileSync(
      path.join(installedHostDir, '.installed.json'),
      JSON.stringify({ codeServer: CODE_SERVER_VERSION, playwrightCore: PLAYWRIGHT_CORE_VERSION }),
    );
    fs.writeFileSync(
      path.join(installedHostDir, 'node_modules', 'code-server', 'lib', 'vscode', 'package.json'),
      JSON.stringify({ version: '1.100.3' }),
    );
  });

  after(() => fs.rmSync(path.dirname(hostDir), { recursive: true, force: true }));

  it('as root, runs apt-get for exactly the missing packages, then installs the host', () => {
    const run = dryRun(hostDir, { missing: ['ripgrep', 'chromium'], root: true, apt: true, os: 'debian' });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^\[setup\] missing system packages: ripgrep chromium$/m);
    assert.match(run.stdout, /^\[setup\] would run: apt-get update && apt-get install -y ripgrep chromium$/m);
    assert.match(
      run.stdout,
      new RegExp(
        `^\\[vscode-host\\] would install code-server .* into ${hostDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
        'm',
      ),
    );
  });

  it('with passwordless sudo, runs the same apt-get commands through sudo', () => {
    const run = dryRun(hostDir, { missing: ['libkrb5-dev'], root: false, sudo: true, apt: true, os: 'debian' });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /would run: sudo apt-get update && sudo apt-get install -y libkrb5-dev$/m);
  });

  it('without root or sudo, stops with status 1 and the exact command to run', () => {
    const run = dryRun(hostDir, { missing: ['chromium'], root: false, sudo: false, apt: true, os: 'debian' });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^ {2}sudo apt-get update && sudo apt-get install -y chromium$/m);
    assert.doesNotMatch(run.stdout, /would run|would install/);
  });

  it("without apt-get, stops naming what to install with the system's package manager", () => {
    const run = dryRun(hostDir, { missing: ['libkrb5-dev', 'chromium'], root: true, apt: false, os: 'fedora' });
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /needs the Kerberos 5 development files, Chromium .*\(Debian packages: libkrb5-dev chromium\).*\(fedora\) has no apt-get/,
    );
  });

  it("asks for Ubuntu's chromium-browser package on Ubuntu", () => {
    const run = dryRun(hostDir, { missing: ['chromium-browser'], root: true, apt: true, os: 'ubuntu' });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /apt-get install -y chromium-browser$/m);
  });

  it('once the host is installed, needs no build packages, and Chromium only for the tests', () => {
    const everything = ['build-essential', 'python3', 'pkg-config', 'libkrb5-dev', 'ripgrep', 'chromium'];
    const tests = dryRun(installedHostDir, { missing: everything, root: true, apt: true, os: 'debian' });
    assert.equal(tests.code, 0, tests.stderr);
    assert.match(tests.stdout, /^\[setup\] missing system packages: chromium$/m);
    assert.match(tests.stdout, /already installed/);
    const start = dryRun(installedHostDir, { missing: everything, root: true, apt: true, os: 'debian' }, []);
    assert.equal(start.code, 0, start.stderr);
    assert.doesNotMatch(start.stdout, /\[setup\]/);
  });

  it('does not ask for the chromium package when CHROMIUM names a browser', () => {
    const run = dryRun(
      hostDir,
      { missing: ['ripgrep', 'chromium'], root: true, apt: true, os: 'debian' },
      ['--browser'],
      { CHROMIUM: '/opt/chrome/chrome' },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /missing system packages: ripgrep$/m);
  });

  it('reports nothing to install when nothing is missing', () => {
    const run = dryRun(installedHostDir, { missing: [], root: false, sudo: false, apt: true, os: 'debian' });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `[vscode-host] VS Code 1.100.3 already installed in ${installedHostDir}\n`);
  });
});
