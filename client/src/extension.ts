// Dexter LS for VS Code: starts the server and wires the commands, panel, pickers and views.
import * as vscode from 'vscode';
import { Credentials } from './credentials';
import { DiagnosticsForwarder } from './forward';
import { Commands, Notifications, Requests } from './ids';
import { ExplanationPanels, Target } from './panel';
import { configureFallbackChain, pickModel, selectModel } from './pickers';
import { ServerManager } from './server';
import { ModelStatusBar } from './statusBar';
import { targetAtCursor } from './target';
import { compareModels, showDashboard, showStatistics } from './views';
import { createOutputChannel, onDidChangeConfiguration, registerCommand, showError } from './vscodeapi';

function guarded(run: (...args: any[]) => Promise<unknown>): (...args: any[]) => Promise<void> {
  return async (...args) => {
    try {
      await run(...args);
    } catch (error) {
      void showError(`Dexter: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = createOutputChannel('Dexter LS');
  const server = new ServerManager(log);
  const panels = new ExplanationPanels(server);
  const credentials = new Credentials(context.secrets, server);
  const statusBar = new ModelStatusBar(server, (provider) => credentials.has(provider));
  const forwarder = new DiagnosticsForwarder(() => server.client);
  context.subscriptions.push(log, server, panels, statusBar, forwarder);

  server.whenCreated((client) => {
    client.onNotification(Notifications.explanationChunk, (chunk) => panels.onChunk(chunk));
    client.onRequest(Requests.getCredential, (params) => credentials.answer(params));
  });
  server.whenStarted(() => {
    forwarder.resendAll();
    void statusBar.refresh();
  });

  const target = async (given?: Target): Promise<Target> => {
    const atCursor = server.client ? await targetAtCursor(server.client) : undefined;
    const found = given ?? atCursor ?? panels.target; // from the panel's buttons: its diagnostic
    if (!found) {
      throw new Error('no diagnostic under the cursor');
    }
    return found;
  };

  context.subscriptions.push(
    registerCommand(Commands.explain, guarded(async (given?: Target) => {
      const at = given ?? (server.client ? await targetAtCursor(server.client) : undefined);
      if (!at) {
        throw new Error('no diagnostic under the cursor');
      }
      await panels.explain(at);
      void statusBar.refresh(); // the model's health may have changed (a cooldown, a key)
    })),
    registerCommand(Commands.explainWith, guarded(async (given?: Target) => {
      const at = await target(given);
      const model = await pickModel(server, 'Dexter: Explain with another model');
      if (model) {
        await panels.explain(at, model);
        void statusBar.refresh();
      }
    })),
    registerCommand(Commands.selectModel, guarded(async () => {
      await selectModel(server);
      await statusBar.refresh(vscode.workspace.getConfiguration('dexter').get<string>('model') ?? undefined);
    })),
    registerCommand(Commands.configureFallbackChain, guarded(() => configureFallbackChain(server))),
    registerCommand(Commands.setApiKey, guarded(async () => {
      await credentials.setKey();
      await statusBar.refresh();
    })),
    registerCommand(Commands.clearApiKey, guarded(() => credentials.clearKey())),
    registerCommand(Commands.showDashboard, guarded(() => showDashboard(server))),
    registerCommand(Commands.compareModels, guarded(async (given?: Target) => compareModels(server, await target(given)))),
    registerCommand(Commands.modelStatistics, guarded(() => showStatistics(server))),
    registerCommand(Commands.restartServer, guarded(() => server.restart())),
    registerCommand(Commands.showLogs, () => log.show()),
    onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('dexter.server.command')) {
        void server.restart();
      } else if (event.affectsConfiguration('dexter')) {
        server.settingsChanged();
        void statusBar.refresh(vscode.workspace.getConfiguration('dexter').get<string>('model') ?? undefined);
      }
    }),
    vscode.window.onDidChangeActiveTextEditor(() => void statusBar.refresh()),
  );

  await server.start();
}

export function deactivate(): void {}
