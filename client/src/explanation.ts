// Pure: the explanation panel's page (strict CSP, one nonce'd script) and the summary line
// built from an Explanation result (model, fallbacks, latency, tokens, cost).
import { escapeHtml } from './markdown';

export interface Attempt {
  model: string;
  outcome: string;
  latencyMs?: number;
  error?: string;
  costUsd?: number | null;
}

export interface Explanation {
  markdown: string;
  model: string;
  requestedModel?: string;
  attempts?: Attempt[];
  cached?: boolean;
  latencyMs?: number;
  usage?: { inputTokens?: number | null; outputTokens?: number | null };
  incomplete?: boolean;
}

export interface Chunk {
  uri: string;
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
  model: string;
  text: string;
  id?: string;
}

export interface Meta {
  label: string;
  value: string;
}

export function summary(result: Explanation): Meta[] {
  const attempts = result.attempts ?? [];
  const fallbacks = attempts.filter((a) => a.model !== result.model);
  const tokensIn = result.usage?.inputTokens;
  const tokensOut = result.usage?.outputTokens;
  const costs = attempts.map((a) => a.costUsd).filter((c): c is number => typeof c === 'number');
  const meta: Meta[] = [{ label: 'Model', value: result.model + (result.cached ? ' (cached)' : '') }];
  if (result.requestedModel && result.requestedModel !== result.model) {
    meta.push({ label: 'Requested', value: result.requestedModel });
  }
  meta.push({
    label: 'Fallbacks',
    value: fallbacks.length
      ? fallbacks.map((a) => `${a.model}: ${a.outcome}${a.error ? ` (${a.error})` : ''}`).join('; ')
      : 'none',
  });
  if (typeof result.latencyMs === 'number') {
    meta.push({ label: 'Latency', value: `${Math.round(result.latencyMs)} ms` });
  }
  meta.push({
    label: 'Tokens',
    value: tokensIn == null && tokensOut == null ? 'unknown' : `${tokensIn ?? '?'} in / ${tokensOut ?? '?'} out`,
  });
  meta.push({
    label: 'Cost',
    value: costs.length ? `$${costs.reduce((a, b) => a + b, 0).toFixed(4)}` : 'unknown',
  });
  if (result.incomplete) {
    meta.push({ label: 'Note', value: 'the answer is incomplete' });
  }
  return meta;
}

export function metaHtml(meta: readonly Meta[]): string {
  return `<dl>${meta
    .map((m) => `<dt>${escapeHtml(m.label)}</dt><dd data-meta="${escapeHtml(m.label.toLowerCase())}">${escapeHtml(m.value)}</dd>`)
    .join('')}</dl>`;
}

/** True when a chunk belongs to the request: same id when both have one, else same uri+range. */
export function chunkMatches(chunk: Chunk, id: string, uri: string, range: Chunk['range']): boolean {
  if (chunk.id !== undefined) {
    return chunk.id === id;
  }
  return chunk.uri === uri && JSON.stringify(chunk.range) === JSON.stringify(range);
}

export function csp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    "img-src data:",
  ].join('; ');
}

export function makeNonce(random: () => number = Math.random): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 32; i++) {
    out += chars.charAt(Math.floor(random() * chars.length));
  }
  return out;
}

const STYLE = `
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em; line-height: 1.5; }
header h1 { font-size: 1.2em; margin-bottom: 0.2em; }
#state { opacity: 0.8; }
pre { background: var(--vscode-textCodeBlock-background); padding: 0.6em; overflow-x: auto; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; opacity: 0.9; }
dt { font-weight: bold; }
dd { margin: 0; }
button { margin: 0.5em 0.5em 0 0; color: var(--vscode-button-foreground);
  background: var(--vscode-button-background); border: none; padding: 0.4em 0.8em; cursor: pointer; }
.error { color: var(--vscode-errorForeground); }
`;

const SCRIPT = `
const vscode = acquireVsCodeApi();
const body = document.getElementById('body');
const state = document.getElementById('state');
const meta = document.getElementById('meta');
window.addEventListener('message', (event) => {
  const m = event.data;
  if (m.type === 'render') {
    body.innerHTML = m.html;
    state.textContent = m.state;
    state.dataset.state = m.phase;
    if (m.meta !== undefined) { meta.innerHTML = m.meta; }
  }
});
vscode.postMessage({ action: 'ready' });
for (const button of document.querySelectorAll('button[data-action]')) {
  button.addEventListener('click', () => vscode.postMessage({ action: button.dataset.action }));
}
`;

/** The whole page; its content (already escaped HTML) changes through 'render' messages. */
export function pageHtml(title: string, cspSource: string, nonce: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp(cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">${STYLE}</style>
<title>${escapeHtml(title)}</title></head>
<body>
<header><h1>${escapeHtml(title)}</h1><div id="state" data-state="waiting">Waiting for the model…</div></header>
<main id="body"></main>
<section id="meta"></section>
<footer>
<button data-action="explainWith">Explain with another model…</button>
<button data-action="compare">Compare models…</button>
</footer>
<script nonce="${nonce}">${SCRIPT}</script>
</body></html>`;
}
