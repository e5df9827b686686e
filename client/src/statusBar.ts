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

  constructor(private readonly server: ServerManager) {
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
      const list = await this.server.execute<ModelList>(ServerCommands.listModels, []);
      const model = prefs.model ?? prefs.candidates?.[0] ?? undefined;
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
