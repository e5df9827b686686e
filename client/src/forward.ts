// Forwards every extension's diagnostics to the server (`dexter/didChangeDiagnostics`),
// debounced, for the documents that changed only, so hover and code actions work on them.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Notifications } from './ids';
import { getDiagnostics, onDidChangeDiagnostics } from './vscodeapi';

export const DEBOUNCE_MS = 300;

export class DiagnosticsForwarder implements vscode.Disposable {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly client: () => LanguageClient | undefined) {
    this.subscription = onDidChangeDiagnostics((event) => {
      for (const uri of event.uris) {
        if (uri.scheme === 'file' || uri.scheme === 'untitled') {
          this.pending.add(uri.toString());
        }
      }
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.flush(), DEBOUNCE_MS);
    });
  }

  /** Everything open now (after a server restart). */
  resendAll(): void {
    for (const [uri] of vscode.languages.getDiagnostics()) {
      this.pending.add(uri.toString());
    }
    this.flush();
  }

  flush(): void {
    const client = this.client();
    if (!client || !client.isRunning()) {
      return;
    }
    const uris = [...this.pending];
    this.pending.clear();
    void this.send(client, uris);
  }

  private async send(client: LanguageClient, uris: string[]): Promise<void> {
    for (const key of uris) {
      const uri = vscode.Uri.parse(key);
      // The server's own diagnostics come back to it too: it knows them already, skip them.
      const others = getDiagnostics(uri).filter((d) => d.source !== 'dexter');
      const diagnostics = await client.code2ProtocolConverter.asDiagnostics(others);
      await client.sendNotification(Notifications.didChangeDiagnostics, { uri: key, diagnostics });
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscription.dispose();
  }
}
