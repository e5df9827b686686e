// API keys in VS Code's SecretStorage, handed to the server only when it asks
// (`dexter/getCredential` {provider} -> {key} | null). Keys never touch settings files.
import * as vscode from 'vscode';
import { DidChangeConfigurationNotification } from 'vscode-languageclient/node';
import { ServerCommands } from './ids';
import type { ModelList } from './models';
import type { ServerManager } from './server';

const PREFIX = 'dexter.apiKey.';

export class Credentials {
  private readonly handedOver = new vscode.EventEmitter<string>();

  constructor(private readonly secrets: vscode.SecretStorage, private readonly server: ServerManager) {}

  async has(provider: string): Promise<boolean> {
    return !!(await this.secrets.get(PREFIX + provider));
  }

  /** The answer to `dexter/getCredential`. */
  async answer(params: unknown): Promise<{ key: string } | null> {
    const provider = (params as { provider?: unknown } | null)?.provider;
    if (typeof provider !== 'string' || provider === '') {
      return null;
    }
    const key = await this.secrets.get(PREFIX + provider);
    if (key) {
      this.handedOver.fire(provider);
    }
    return key ? { key } : null;
  }

  async setKey(): Promise<void> {
    const provider = await this.pickProvider('Dexter: Set API Key — which provider?');
    if (!provider) {
      return;
    }
    const key = await vscode.window.showInputBox({
      title: `Dexter: API key for ${provider}`,
      prompt: 'Stored in VS Code\'s secret storage; given to the Dexter server only when it asks.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'The key is empty'),
    });
    if (!key) {
      return;
    }
    await this.secrets.store(PREFIX + provider, key.trim());
    const asked = new Promise<void>((resolve) => {
      const listener = this.handedOver.event((name) => {
        if (name === provider) {
          listener.dispose();
          resolve();
        }
      });
      setTimeout(() => {
        listener.dispose();
        resolve();
      }, 10_000);
    });
    await this.askServerToReload();
    await asked;
    await this.rediscover(provider);
    void vscode.window.showInformationMessage(`Dexter: key for ${provider} stored in secret storage.`);
  }

  /** The server swaps in the keyed provider just after it gets the key; list its models again
   * until they no longer need a key (a few tries, a moment apart). */
  private async rediscover(provider: string): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const list = await this.server.execute<ModelList>(ServerCommands.refreshModels, []);
      const mine = list.models.filter((m) => m.provider === provider);
      if (mine.length > 0 && mine.every((m) => m.status !== 'needs key')) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  async clearKey(): Promise<void> {
    const provider = await this.pickProvider('Dexter: Clear API Key — which provider?');
    if (provider) {
      await this.secrets.delete(PREFIX + provider);
      void vscode.window.showInformationMessage(`Dexter: key for ${provider} removed (restart the server to drop it there too).`);
    }
  }

  /** The server asks for missing keys whenever its settings are (re)applied. */
  private async askServerToReload(): Promise<void> {
    await this.server.client?.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  private async pickProvider(title: string): Promise<string | undefined> {
    let providers: string[] = [];
    try {
      const list = await this.server.execute<ModelList>(ServerCommands.listModels, []);
      providers = [...new Set(list.models.map((m) => m.provider))].filter((p) => p !== 'builtin');
      const needing = new Set(list.models.filter((m) => m.status === 'needs key').map((m) => m.provider));
      const items = providers.map((p) => ({ label: p, description: needing.has(p) ? 'needs a key' : '' }));
      const other = { label: 'Other provider…', description: 'type its name (as in dexter.providers)' };
      const picked = await vscode.window.showQuickPick([...items, other], { title });
      if (!picked) {
        return undefined;
      }
      if (picked !== other) {
        return picked.label;
      }
    } catch {
      // the server is not running: ask for the name
    }
    const name = await vscode.window.showInputBox({ title, prompt: 'Provider name, e.g. openai or anthropic' });
    return name?.trim() || undefined;
  }
}
