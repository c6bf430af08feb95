// Client for the offline harness' loopback HTTP API (scripts/vscodeHost/run.mjs), which acts on the
// browser page that shows the workbench. Only there is HARNESS_URL set; in desktop VS Code it is not.
import * as http from 'node:http';

/** Base URL of the harness API, or undefined when the suite runs in another host. */
export const harnessUrl: string | undefined = process.env.HARNESS_URL;

/** The DOM of one iframe of the workbench page (webviews are nested iframes). */
export interface FrameDump {
  readonly url: string;
  readonly html?: string;
  readonly error?: string;
}

function request(action: string, query: Record<string, string> = {}): Promise<string> {
  if (!harnessUrl) return Promise.reject(new Error('HARNESS_URL is not set: not running in the offline harness'));
  const url = `${harnessUrl}/${action}?${new URLSearchParams(query)}`;
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          res.statusCode === 200 ? resolve(body) : reject(new Error(`${url}: ${res.statusCode} ${body}`)),
        );
      })
      .on('error', reject);
  });
}

/** Saves a PNG of the whole workbench as `screenshots/<name>.png` and returns its absolute path. */
export function screenshot(name: string): Promise<string> {
  return request('screenshot', { name });
}

/**
 * The DOM of every iframe in the workbench, e.g. to check what a webview shows. Poll: webviews load
 * asynchronously. With a CSS selector: the outer HTML of its first match in each frame ('' if none).
 */
export async function frames(selector?: string): Promise<FrameDump[]> {
  return JSON.parse(await request('frames', selector ? { selector } : {})) as FrameDump[];
}
