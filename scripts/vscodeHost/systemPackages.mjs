// The system packages the offline VS Code host needs, found with dpkg (or, without dpkg, by the commands
// and files they provide) and installed with apt-get when this process may: as root, or through
// passwordless sudo. Otherwise it stops with the exact command to run.
// Test seam: SENTIMENT_LENS_SETUP_PRETEND is a JSON object whose keys replace what was detected about the
// machine: { "missing": [packages], "root": bool, "sudo": bool, "apt": bool, "os": "debian" }.
import { spawnSync } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Needed to install the host: build tools and Kerberos headers for code-server's native modules; rg replaces a GitHub download. */
export const BUILD_PACKAGES = ['build-essential', 'python3', 'pkg-config', 'libkrb5-dev', 'ripgrep'];

/** Where Chromium may be: CHROMIUM, else Debian's path, Ubuntu's wrapper of its snap, the snap itself. */
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];
export const chromiumPath =
  process.env.CHROMIUM || CHROMIUM_CANDIDATES.find((file) => existsSync(file)) || CHROMIUM_CANDIDATES[0];

/** The browser package, named as on Debian; Ubuntu has Chromium only as the snap behind chromium-browser. */
export const BROWSER_PACKAGE = 'chromium';
const packageName = (name, os) => (name === BROWSER_PACKAGE && os === 'ubuntu' ? 'chromium-browser' : name);

const log = (msg) => console.log(`[setup] ${msg}`);

/** The executable `command` on PATH, or undefined. */
export function onPath(command) {
  for (const dir of (process.env.PATH || '').split(delimiter)) {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return join(dir, command);
    } catch {}
  }
  return undefined;
}

/** /etc/os-release's ID ('debian', 'ubuntu', ...; ID_LIKE ubuntu counts as ubuntu), or the platform elsewhere. */
function osId() {
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    const field = (name) => release.match(new RegExp(`^${name}="?([^"\\n]*)`, 'm'))?.[1] ?? '';
    return field('ID') === 'ubuntu' || field('ID_LIKE').split(' ').includes('ubuntu')
      ? 'ubuntu'
      : field('ID') || 'linux';
  } catch {
    return process.platform;
  }
}

/** What each package provides, for machines with other package managers. */
const DESCRIPTIONS = {
  'build-essential': 'a C/C++ compiler and make',
  'libkrb5-dev': 'the Kerberos 5 development files',
  ripgrep: 'ripgrep (rg)',
  chromium: 'Chromium (or set CHROMIUM to a Chrome or Chromium binary)',
  'chromium-browser': 'Chromium (or set CHROMIUM to a Chrome or Chromium binary)',
};

/** On a machine without dpkg: whether a package's commands or files are there. */
const PROVIDES = {
  'build-essential': () => ['cc', 'c++', 'make'].every(onPath),
  python3: () => onPath('python3'),
  'pkg-config': () => onPath('pkg-config'),
  'libkrb5-dev': () => existsSync('/usr/include/gssapi/gssapi.h') || onPath('krb5-config'),
  ripgrep: () => onPath('rg'),
  chromium: () => existsSync(chromiumPath),
  'chromium-browser': () => existsSync(chromiumPath),
};

/** The packages of `packages` that are not installed. */
function missingPackages(packages) {
  if (!onPath('dpkg-query')) return packages.filter((name) => !PROVIDES[name]?.());
  const query = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Status}\\n', ...packages], { encoding: 'utf8' });
  const installed = new Set(
    query.stdout
      .split('\n')
      .filter((line) => line.endsWith(' install ok installed'))
      .map((line) => line.split(' ')[0]),
  );
  return packages.filter((name) => !installed.has(name));
}

/** What is known about this machine, with SENTIMENT_LENS_SETUP_PRETEND applied. */
function machine(debianPackages) {
  const pretend = process.env.SENTIMENT_LENS_SETUP_PRETEND ? JSON.parse(process.env.SENTIMENT_LENS_SETUP_PRETEND) : {};
  const os = pretend.os ?? osId();
  const packages = debianPackages.map((name) => packageName(name, os));
  const facts = {
    os,
    apt: pretend.apt ?? Boolean(onPath('apt-get') && onPath('dpkg-query')),
    root: pretend.root ?? process.getuid?.() === 0,
  };
  facts.sudo =
    pretend.sudo ??
    (!facts.root && Boolean(onPath('sudo')) && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0);
  facts.missing = pretend.missing
    ? packages.filter((name) => pretend.missing.includes(name))
    : missingPackages(packages);
  return facts;
}

/**
 * What to do about `facts.missing` (pure): nothing; `run` these commands (argv arrays, shown as `shown`);
 * or `stop` with this message.
 */
export function packagePlan({ missing, os, apt, root, sudo }) {
  if (!missing.length) return {};
  const names = missing.join(' ');
  const manual = `sudo apt-get update && sudo apt-get install -y ${names}`;
  if (!apt) {
    const what = missing.map((name) => DESCRIPTIONS[name] ?? name).join(', ');
    return {
      stop:
        `the offline VS Code host needs ${what} (Debian packages: ${names}), and this machine (${os}) has no ` +
        'apt-get: install them with its package manager, then run the command again.',
    };
  }
  if (!root && !sudo) {
    return {
      stop: `the offline VS Code host needs the packages ${names}; installing them needs root. Run\n\n  ${manual}\n\nthen run the command again.`,
    };
  }
  const prefix = root ? [] : ['sudo', '-n'];
  return {
    run: [
      [...prefix, 'apt-get', 'update', '-qq'],
      [
        ...prefix,
        'env',
        'DEBIAN_FRONTEND=noninteractive',
        'apt-get',
        'install',
        '-y',
        '-qq',
        '-o',
        'DPkg::Lock::Timeout=300',
        ...missing,
      ],
    ],
    shown: `${root ? '' : 'sudo '}apt-get update && ${root ? '' : 'sudo '}apt-get install -y ${names}`,
  };
}

/**
 * Installs whichever of `packages` (Debian names) is missing, printing what it does; throws an Error whose message is
 * the command to run when it cannot. With dryRun, prints the plan and runs nothing.
 * `logFile`: where apt-get's output goes.
 */
export function ensureSystemPackages(packages, { dryRun = false, logFile } = {}) {
  const facts = machine(packages);
  const plan = packagePlan(facts);
  if (!facts.missing.length) return;
  if (plan.stop) throw new Error(plan.stop);
  log(`missing system packages: ${facts.missing.join(' ')}`);
  log(`${dryRun ? 'would run' : 'running'}: ${plan.shown}`);
  if (dryRun) return;
  const started = Date.now();
  for (const argv of plan.run) {
    const out = logFile ? openSync(logFile, 'a') : 'ignore';
    const step = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', out, logFile ? out : 'inherit'] });
    if (logFile) closeSync(out);
    if (step.status !== 0) {
      const tail = logFile ? `\n${readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n')}` : '';
      throw new Error(
        `${argv.join(' ')} failed (status ${step.status ?? step.signal}); run it yourself to see why:\n\n  ${plan.shown}${tail}`,
      );
    }
  }
  const still = missingPackages(facts.missing);
  if (still.length && !process.env.SENTIMENT_LENS_SETUP_PRETEND)
    throw new Error(`apt-get ran but ${still.join(' ')} is still not installed`);
  log(`installed ${facts.missing.join(' ')} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
