// Dexter: Select Model and Dexter: Configure Fallback Chain (quick picks over dexter.listModels).
import * as vscode from 'vscode';
import { ServerCommands } from './ids';
import { ModelList, modelRows, move } from './models';
import type { ServerManager } from './server';
import { getConfiguration } from './vscodeapi';

type ModelItem = vscode.QuickPickItem & { id?: string };

function toItems(list: ModelList, current?: string): ModelItem[] {
  return modelRows(list, current).map((row) =>
    row.kind === 'separator'
      ? { label: row.label, kind: vscode.QuickPickItemKind.Separator }
      : { label: row.label, description: row.description, detail: row.detail, id: row.id },
  );
}

async function listModels(server: ServerManager): Promise<ModelList> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Dexter: listing models' },
    () => server.execute<ModelList>(ServerCommands.listModels, []),
  );
}

async function chooseTarget(what: string): Promise<vscode.ConfigurationTarget | undefined> {
  const hasWorkspace = (vscode.workspace.workspaceFolders ?? []).length > 0;
  if (!hasWorkspace) {
    return vscode.ConfigurationTarget.Global;
  }
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'This workspace', description: `writes ${what} to the workspace settings`, target: vscode.ConfigurationTarget.Workspace },
      { label: 'All workspaces (user settings)', description: `writes ${what} to the user settings`, target: vscode.ConfigurationTarget.Global },
    ],
    { title: `Dexter: where to save ${what}`, placeHolder: 'This workspace' },
  );
  return picked?.target;
}

/** Picks one model; undefined when dismissed. */
export async function pickModel(server: ServerManager, title: string, current?: string): Promise<string | undefined> {
  const list = await listModels(server);
  const picked = await vscode.window.showQuickPick(toItems(list, current), {
    title,
    placeHolder: 'Type to filter models',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.id;
}

export async function selectModel(server: ServerManager): Promise<void> {
  const current = getConfiguration('dexter').get<string | null>('model') ?? undefined;
  const model = await pickModel(server, 'Dexter: Select Model', current);
  if (!model) {
    return;
  }
  const target = await chooseTarget('dexter.model');
  if (target === undefined) {
    return;
  }
  await getConfiguration('dexter').update('model', model, target);
}

export async function configureFallbackChain(server: ServerManager): Promise<void> {
  const list = await listModels(server);
  const current = getConfiguration('dexter').get<string[]>('fallbackChain') ?? [];
  // Step 1: which models, in the order they are checked.
  const items = toItems(list).map((item) => ({ ...item, picked: item.id !== undefined && current.includes(item.id) }));
  const chosen = await vscode.window.showQuickPick(items, {
    title: 'Dexter: Configure Fallback Chain (1/2): choose models',
    canPickMany: true,
    placeHolder: 'Models to try after dexter.model; builtin/reference always ends the chain',
  });
  if (!chosen) {
    return;
  }
  let chain = [
    ...current.filter((id) => chosen.some((c) => c.id === id)),
    ...chosen.map((c) => c.id).filter((id): id is string => !!id && !current.includes(id)),
  ];
  // Step 2: order them (pick a model to move it up; Done when the order is right).
  for (;;) {
    const done: vscode.QuickPickItem & { id?: string } = { label: '$(check) Done', description: chain.join(' → ') || '(empty chain)' };
    const rows = chain.map((id, index) => ({ label: `${index + 1}. ${id}`, description: index > 0 ? 'move up' : '', id }));
    const picked = await vscode.window.showQuickPick([done, ...rows], {
      title: 'Dexter: Configure Fallback Chain (2/2): order',
      placeHolder: 'Pick a model to move it up, or Done',
    });
    if (!picked) {
      return;
    }
    if (picked === done || !picked.id) {
      break;
    }
    chain = move(chain, picked.id, -1);
  }
  const target = await chooseTarget('dexter.fallbackChain');
  if (target === undefined) {
    return;
  }
  await getConfiguration('dexter').update('fallbackChain', chain, target);
}
