// Pure HTML for the compare view and the model statistics (no scripts; escaped values).
import { renderMarkdown, escapeHtml } from './markdown';

export interface CompareResult {
  model: string;
  markdown: string | null;
  latencyMs?: number;
  usage?: { inputTokens?: number | null; outputTokens?: number | null } | null;
  costUsd?: number | null;
  error?: string | null;
}

const STYLE = `body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); line-height: 1.5; }
.columns { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(16em, 1fr); gap: 1em; }
.column { border: 1px solid var(--vscode-panel-border); padding: 0 0.8em; }
pre { background: var(--vscode-textCodeBlock-background); padding: 0.5em; overflow-x: auto; }
table { border-collapse: collapse; } td, th { border: 1px solid var(--vscode-panel-border); padding: 0.2em 0.6em; }
.error { color: var(--vscode-errorForeground); }`;

export function staticPage(title: string, body: string, cspSource: string, nonce: string): string {
  const csp = `default-src 'none'; style-src ${cspSource} 'nonce-${nonce}'; img-src data:`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<style nonce="${nonce}">${STYLE}</style><title>${escapeHtml(title)}</title></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

export function compareHtml(results: readonly CompareResult[]): string {
  const columns = results.map((r) => {
    const tokens = r.usage ? `${r.usage.inputTokens ?? '?'} in / ${r.usage.outputTokens ?? '?'} out` : 'unknown';
    const cost = typeof r.costUsd === 'number' ? `$${r.costUsd.toFixed(4)}` : 'unknown';
    const latency = typeof r.latencyMs === 'number' ? `${Math.round(r.latencyMs)} ms` : '?';
    const body = r.markdown !== null ? renderMarkdown(r.markdown) : `<p class="error">${escapeHtml(r.error ?? 'no answer')}</p>`;
    return `<section class="column" data-model="${escapeHtml(r.model)}"><h2>${escapeHtml(r.model)}</h2>
<p>${escapeHtml(latency)} · ${escapeHtml(tokens)} · ${escapeHtml(cost)}</p>${body}</section>`;
  });
  return `<div class="columns">${columns.join('')}</div>`;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  return escapeHtml(typeof value === 'object' ? JSON.stringify(value) : String(value));
}

/** `dexter.modelStats` as a table: one row per model, one column per scalar field. */
export function statsHtml(stats: { window?: string; requests?: number; models?: Record<string, unknown>[] }): string {
  const models = stats.models ?? [];
  const header = `<p>Window: ${cell(stats.window)} · requests: ${cell(stats.requests)}</p>`;
  if (models.length === 0) {
    return `${header}<p>No explanations recorded in this window.</p>`;
  }
  const keys = Object.keys(models[0]).filter((k) => models.some((m) => typeof m[k] !== 'object' || m[k] === null));
  const head = `<tr>${keys.map((k) => `<th>${escapeHtml(k)}</th>`).join('')}</tr>`;
  const rows = models.map((m) => `<tr>${keys.map((k) => `<td>${cell(m[k])}</td>`).join('')}</tr>`).join('');
  return `${header}<table>${head}${rows}</table>`;
}
