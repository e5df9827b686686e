// The few VS Code API calls the extension makes, in one place (so modules stay easy to read
// and the calls easy to find), as in Microsoft's python-tools extension template.
import * as vscode from 'vscode';

export function registerCommand(id: string, run: (...args: any[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, run);
}

export function getConfiguration(section: string, scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(section, scope);
}

export function onDidChangeConfiguration(listener: (e: vscode.ConfigurationChangeEvent) => unknown): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration(listener);
}

export function createOutputChannel(name: string): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel(name, { log: true });
}

export function activeEditor(): vscode.TextEditor | undefined {
  return vscode.window.activeTextEditor;
}

export function workspaceFolders(): readonly vscode.WorkspaceFolder[] {
  return vscode.workspace.workspaceFolders ?? [];
}

export function isTrusted(): boolean {
  return vscode.workspace.isTrusted;
}

export async function showError(message: string, ...items: string[]): Promise<string | undefined> {
  return vscode.window.showErrorMessage(message, ...items);
}

export async function showInfo(message: string, ...items: string[]): Promise<string | undefined> {
  return vscode.window.showInformationMessage(message, ...items);
}

export async function copyToClipboard(text: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
}

export async function openSetting(id: string): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openSettings', id);
}

export function getDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri);
}

export function onDidChangeDiagnostics(listener: (e: vscode.DiagnosticChangeEvent) => unknown): vscode.Disposable {
  return vscode.languages.onDidChangeDiagnostics(listener);
}

export function createWebviewPanel(viewType: string, title: string, column: vscode.ViewColumn, scripts: boolean): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(viewType, title, { viewColumn: column, preserveFocus: true }, {
    enableScripts: scripts,
    localResourceRoots: [],
    retainContextWhenHidden: true,
  });
}

/** The selected Python interpreter from the Python extension, when it is installed. */
export async function pythonInterpreter(resource?: vscode.Uri): Promise<string[]> {
  const ext = vscode.extensions.getExtension('ms-python.python');
  if (!ext) {
    return [];
  }
  try {
    const api: any = ext.isActive ? ext.exports : await ext.activate();
    const details = api?.settings?.getExecutionDetails?.(resource);
    const command: unknown = details?.execCommand;
    return Array.isArray(command) ? command.filter((c): c is string => typeof c === 'string') : [];
  } catch {
    return [];
  }
}
