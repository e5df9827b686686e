// The status bar item: the active model and its health; clicking opens Select Model.
import * as vscode from 'vscode';
import { Commands, ServerCommands } from './ids';
import { ModelList, statusBarView } from './models';
import type { ServerManager } from './server';

interface Preferences {
  model?: string | null;
  candidates?: string[];
}

export class ModelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('dexter.model', vscode.StatusBarAlignment.Right, 100);
  private generation = 0;
  private lastRediscovery = 0;

  /** `hasKey(provider)`: a key for it is in secret storage (then "needs key" is stale). */
  constructor(private readonly server: ServerManager, private readonly hasKey: (provider: string) => Promise<boolean>) {
    this.item.name = 'Dexter model';
    this.item.command = Commands.selectModel;
    this.item.text = '$(sparkle) Dexter';
    this.item.tooltip = 'Dexter: starting…';
    this.item.show();
  }

  /** Ask the server which model answers now and how it is doing. */
  /** `expected`: a model just written to the settings; the server applies settings a moment
   * after they change, so ask again (a few times) until it reports that model. */
  async refresh(expected?: string): Promise<void> {
    const generation = ++this.generation;
    try {
      const uri = vscode.window.activeTextEditor?.document.uri.toString();
      let prefs = await this.server.execute<Preferences>(ServerCommands.getPreferences, uri ? [{ uri }] : []);
      for (let i = 0; expected && prefs.model !== expected && i < 20 && generation === this.generation; i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        prefs = await this.server.execute<Preferences>(ServerCommands.getPreferences, uri ? [{ uri }] : []);
      }
      let list = await this.server.execute<ModelList>(ServerCommands.listModels, []);
      const model = prefs.model ?? prefs.candidates?.[0] ?? undefined;
      const info = list.models.find((m) => m.id === model);
      if (info?.status === 'needs key' && Date.now() - this.lastRediscovery > 30_000 && (await this.hasKey(info.provider))) {
        // The server took the key but still describes the model from before: ask it to
        // look again (free endpoints only), at most every 30 s.
        this.lastRediscovery = Date.now();
        list = await this.server.execute<ModelList>(ServerCommands.refreshModels, []);
      }
      const view = statusBarView(model ?? undefined, list.models.find((m) => m.id === model));
      if (generation === this.generation) {
        this.item.text = view.text;
        this.item.tooltip = view.tooltip;
      }
    } catch (error) {
      if (generation === this.generation) {
        this.item.text = '$(warning) Dexter';
        this.item.tooltip = `Dexter: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
