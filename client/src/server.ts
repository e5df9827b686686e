// Finding, starting and restarting the language server (with backoff after crashes).
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
  StaticFeature,
  WorkDoneProgress,
} from 'vscode-languageclient/node';
import { Commands, ServerCommands } from './ids';
import { backoffMs, Candidate, findServer, INSTALL_COMMANDS, notFoundMessage } from './lookup';
import { clientSettings, forServer, SECTION } from './settings';
import { copyToClipboard, openSetting, pythonInterpreter, showError } from './vscodeapi';

const STABLE_MS = 60_000; // up this long after a start: the next crash starts the backoff over

/** Declares what this client renders and stores itself (see the server's contract). */
class DexterCapabilities implements StaticFeature {
  fillClientCapabilities(capabilities: { experimental?: unknown }): void {
    const current = (capabilities.experimental ?? {}) as Record<string, unknown>;
    capabilities.experimental = { ...current, dexterExplanationView: true, dexterCredentials: true };
  }
  initialize(): void {}
  getState(): { kind: 'static' } {
    return { kind: 'static' };
  }
  clear(): void {}
}

function which(name: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', `command -v ${name}`], (error, stdout) => resolve(error ? undefined : stdout.trim() || undefined));
  });
}

function canImport(python: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(python, ['-c', 'import dexter_ls'], { timeout: 15_000 }, (error) => resolve(!error));
  });
}

export type OnClient = (client: LanguageClient) => void;

export class ServerManager implements vscode.Disposable {
  client: LanguageClient | undefined;
  private crashes = 0;
  private startedAt = 0;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly onStart: OnClient[] = [];
  private readonly onCreate: OnClient[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Runs for each new client before it starts: register handlers here, so a request the
   * server sends right after initialize (dexter/getCredential) finds its handler. */
  whenCreated(hook: OnClient): void {
    this.onCreate.push(hook);
  }

  /** Runs for each client once it is running (again after every restart). */
  whenStarted(hook: OnClient): void {
    this.onStart.push(hook);
    if (this.client?.state === State.Running) {
      hook(this.client);
    }
  }

  async start(): Promise<boolean> {
    const lookup = await findServer(clientSettings().serverCommand, await pythonInterpreter(), { which, canImport });
    if (!lookup.found) {
      void this.reportMissing(lookup.tried);
      return false;
    }
    this.log.info(`starting the server: ${lookup.found.command} ${lookup.found.args.join(' ')} (${lookup.found.source})`);
    const client = new LanguageClient('dexter', 'Dexter LS', this.serverOptions(lookup.found), this.clientOptions());
    client.registerFeature(new DexterCapabilities());
    for (const hook of this.onCreate) {
      hook(client);
    }
    this.client = client;
    this.stopping = false;
    try {
      await client.start();
    } catch (error) {
      this.log.error(`the server did not start: ${String(error)}`);
      this.scheduleRestart();
      return false;
    }
    this.startedAt = Date.now();
    for (const hook of this.onStart) {
      hook(client);
    }
    return true;
  }

  /** Settings changed: the server pulls them again (workspace/configuration). */
  settingsChanged(): void {
    void this.client?.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  async restart(): Promise<void> {
    clearTimeout(this.restartTimer);
    this.crashes = 0;
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const client = this.client;
    this.client = undefined;
    if (client && client.state !== State.Stopped) {
      await client.stop().catch((error: unknown) => this.log.warn(`stopping the server: ${String(error)}`));
    }
  }

  /** Runs a server command through workspace/executeCommand (never a registered command). */
  async execute<T>(command: string, args: unknown[], token?: vscode.CancellationToken, workDoneToken?: string): Promise<T> {
    const client = this.running();
    return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args, workDoneToken }, token) as Promise<T>;
  }

  /** A server command shown as a cancellable notification, with the server's work-done
   * progress reports (which model is asked, each fallback) as its message. */
  async executeWithProgress<T>(title: string, command: string, args: unknown[]): Promise<T> {
    const client = this.running();
    const workDoneToken = `dexter-vscode-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const reports = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
          if (value.kind !== 'end' && value.message) {
            progress.report({ message: value.message });
          }
        });
        try {
          return await this.execute<T>(command, args, token, workDoneToken);
        } finally {
          reports.dispose();
        }
      },
    );
  }

  private running(): LanguageClient {
    const client = this.client;
    if (!client || client.state !== State.Running) {
      throw new Error('the Dexter server is not running (Dexter: Restart Server, or Dexter: Show Logs)');
    }
    return client;
  }

  dispose(): void {
    clearTimeout(this.restartTimer);
    void this.stop();
  }

  private serverOptions(found: Candidate): ServerOptions {
    return { command: found.command, args: [...found.args], options: { env: { ...process.env } } };
  }

  private clientOptions(): LanguageClientOptions {
    return {
      documentSelector: [{ scheme: 'file' }, { scheme: 'untitled' }],
      outputChannel: this.log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: forServer(JSON.parse(JSON.stringify(vscode.workspace.getConfiguration(SECTION)))),
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue }),
        closed: () => {
          if (!this.stopping) {
            this.scheduleRestart();
          }
          return { action: CloseAction.DoNotRestart, handled: true };
        },
      },
      middleware: {
        workspace: {
          configuration: async (params, token, next) => {
            const result = await next(params, token);
            return Array.isArray(result)
              ? result.map((item, i) => (params.items[i]?.section === SECTION ? forServer(item) : item))
              : result;
          },
        },
        provideCodeActions: async (document, range, context, token, next) => {
          const actions = await next(document, range, context, token);
          for (const action of actions ?? []) {
            const command = action instanceof vscode.CodeAction ? action.command : action;
            if (command && command.command === ServerCommands.explain) {
              command.command = Commands.explain; // opens the panel instead of discarding the answer
            }
          }
          return actions;
        },
      },
    };
  }

  private scheduleRestart(): void {
    if (Date.now() - this.startedAt > STABLE_MS) {
      this.crashes = 0;
    }
    const delay = backoffMs(this.crashes++);
    this.log.warn(`the server stopped; restarting in ${delay / 1000} s`);
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      void this.stop().then(() => this.start());
    }, delay);
  }

  private async reportMissing(tried: readonly string[]): Promise<void> {
    const message = notFoundMessage(tried);
    this.log.error(message);
    const pipx = `Copy "${INSTALL_COMMANDS.pipx}"`;
    const pip = `Copy "${INSTALL_COMMANDS.pip}"`;
    const setting = 'Open Setting';
    const choice = await showError(message, pipx, pip, setting);
    if (choice === pipx) {
      await copyToClipboard(INSTALL_COMMANDS.pipx);
    } else if (choice === pip) {
      await copyToClipboard(INSTALL_COMMANDS.pip);
    } else if (choice === setting) {
      await openSetting('dexter.server.command');
    }
  }
}
