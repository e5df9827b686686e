// Webviews for Dexter: Show Model Dashboard, Dexter: Compare Models and Dexter: Model Statistics.
import * as vscode from 'vscode';
import { makeNonce } from './explanation';
import { ServerCommands } from './ids';
import type { Target } from './panel';
import { pickModel } from './pickers';
import type { ServerManager } from './server';
import { CompareResult, compareHtml, staticPage, statsHtml } from './tables';
import { createWebviewPanel } from './vscodeapi';

function show(viewType: string, title: string, html: (cspSource: string) => string): vscode.WebviewPanel {
  const panel = createWebviewPanel(viewType, title, vscode.ViewColumn.Beside, false);
  panel.webview.html = html(panel.webview.cspSource);
  return panel;
}

export async function showDashboard(server: ServerManager): Promise<void> {
  // The server's page carries its own strict CSP (no scripts, inline styles only).
  const result = await server.execute<{ html: string }>(ServerCommands.dashboard, [{ window: '24h' }]);
  show('dexter.dashboard', 'Dexter: Model Dashboard', () => result.html);
}

export async function showStatistics(server: ServerManager): Promise<void> {
  const stats = await server.execute<Parameters<typeof statsHtml>[0]>(ServerCommands.modelStats, [{ window: '24h' }]);
  show('dexter.stats', 'Dexter: Model Statistics', (csp) => staticPage('Dexter: Model Statistics', statsHtml(stats), csp, makeNonce()));
}

export async function compareModels(server: ServerManager, target: Target): Promise<void> {
  const models: string[] = [];
  for (;;) {
    const title = `Dexter: Compare Models — model ${models.length + 1}${models.length >= 2 ? ' (Escape to run)' : ''}`;
    const model = await pickModel(server, title);
    if (!model) {
      break;
    }
    if (!models.includes(model)) {
      models.push(model);
    }
  }
  if (models.length === 0) {
    return;
  }
  const response = await server.executeWithProgress<{ results: CompareResult[] }>(
    `Dexter: asking ${models.join(', ')}`, ServerCommands.compareModels, [target, models]);
  show('dexter.compare', 'Dexter: Compare Models', (csp) =>
    staticPage(`Compare: ${target.diagnostic.message}`, compareHtml(response.results), csp, makeNonce()));
}
