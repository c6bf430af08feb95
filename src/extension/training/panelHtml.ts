import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/**
 * The training panel's HTML: static containers the script fills, the stylesheet and the script
 * from the extension (no remote resources), under a strict Content Security Policy: no inline
 * styles or scripts, no eval; the script runs by nonce.
 */
export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css'));
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'panel.js'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Sentiment Lens: Training</title>
</head>
<body>
<main>
  <h1>Train a sentiment model</h1>
  <p id="notice" class="notice" role="status" aria-live="polite"></p>
  <section aria-labelledby="data-heading">
    <h2 id="data-heading">Data</h2>
    <div class="row"><button type="button" id="browse">Choose a file…</button><span id="file-title"></span></div>
    <p id="limit" class="limit"></p>
    <div id="source"></div>
  </section>
  <section aria-labelledby="settings-heading">
    <h2 id="settings-heading">Training settings</h2>
    <form id="settings" aria-labelledby="settings-heading"></form>
    <div class="row">
      <button type="button" id="start" class="primary">Start training</button>
      <button type="button" id="cancel" disabled>Cancel</button>
      <button type="button" id="reset">Reset to defaults</button>
    </div>
  </section>
  <section aria-labelledby="progress-heading">
    <h2 id="progress-heading">Progress</h2>
    <p id="run-status" class="run-status" role="status" aria-live="polite"></p>
    <div id="charts"></div>
  </section>
  <section aria-labelledby="report-heading">
    <h2 id="report-heading">Report</h2>
    <div id="report"></div>
  </section>
  <section aria-labelledby="models-heading">
    <h2 id="models-heading">Models</h2>
    <div class="row"><button type="button" id="import">Import a model folder…</button></div>
    <div id="models"></div>
  </section>
</main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
