// The explanation panel: a webview beside the editor that fills in as
// `dexter/explanationChunk` notifications arrive, then shows where the answer came from.
import * as vscode from 'vscode';
import { Chunk, chunkMatches, Explanation, makeNonce, metaHtml, pageHtml, summary } from './explanation';
import { Commands, ServerCommands } from './ids';
import { renderMarkdown, escapeHtml } from './markdown';
import type { ServerManager } from './server';
import { createWebviewPanel } from './vscodeapi';

export interface Target {
  uri: string;
  diagnostic: { range: Chunk['range']; message: string; [key: string]: unknown };
}

let counter = 0;

export class ExplanationPanels {
  private panel: vscode.WebviewPanel | undefined;
  private request: { id: string; target: Target; text: string } | undefined;
  private lastTarget: Target | undefined;
  private last: Record<string, unknown> | undefined; // re-sent when the page (re)loads

  constructor(private readonly server: ServerManager) {}

  get target(): Target | undefined {
    return this.lastTarget;
  }

  /** A `dexter/explanationChunk` notification: append it when it belongs to the open request. */
  onChunk(chunk: Chunk): void {
    const request = this.request;
    if (!request || !chunkMatches(chunk, request.id, request.target.uri, request.target.diagnostic.range)) {
      return;
    }
    request.text += chunk.text;
    this.render(renderMarkdown(request.text), `Streaming from ${chunk.model}…`, 'streaming');
  }

  async explain(target: Target, model?: string): Promise<Explanation | undefined> {
    const id = `vscode-${Date.now()}-${++counter}`;
    this.lastTarget = target;
    this.request = { id, target, text: '' };
    this.show(`Dexter: ${target.diagnostic.message}`);
    this.render('', model ? `Asking ${model}…` : 'Waiting for the model…', 'waiting', '');
    const options: Record<string, string> = { id };
    if (model) {
      options.model = model;
    }
    try {
      const result = await this.server.executeWithProgress<Explanation>(
        'Dexter: explaining', ServerCommands.explain, [target, options]);
      if (this.request?.id === id) {
        this.render(renderMarkdown(result.markdown), `Answered by ${result.model}`, 'done', metaHtml(summary(result)));
      }
      return result;
    } catch (error) {
      if (this.request?.id === id) {
        const message = error instanceof Error ? error.message : String(error);
        this.render(`<p class="error">${escapeHtml(message)}</p>`, 'No answer', 'error');
      }
      return undefined;
    }
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private show(title: string): void {
    if (!this.panel) {
      const panel = createWebviewPanel('dexter.explanation', 'Dexter', vscode.ViewColumn.Beside, true);
      const nonce = makeNonce();
      panel.webview.html = pageHtml('Dexter explanation', panel.webview.cspSource, nonce);
      panel.webview.onDidReceiveMessage((message: { action?: string }) => {
        if (message.action === 'ready' && this.last) {
          void panel.webview.postMessage(this.last);
        } else if (message.action === 'explainWith') {
          void vscode.commands.executeCommand(Commands.explainWith);
        } else if (message.action === 'compare') {
          void vscode.commands.executeCommand(Commands.compareModels);
        }
      });
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.request = undefined;
      });
      this.panel = panel;
    } else {
      this.panel.reveal(this.panel.viewColumn, true);
    }
    this.panel.title = title.length > 60 ? `${title.slice(0, 59)}…` : title;
  }

  private render(html: string, state: string, phase: string, meta?: string): void {
    const message = { type: 'render', html, state, phase, meta: meta ?? (this.last?.meta as string | undefined) };
    this.last = message;
    void this.panel?.webview.postMessage(message);
  }
}
