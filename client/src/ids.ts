// Command ids the extension contributes. None may equal a server command id: vscode-languageclient
// registers every id in the server's executeCommandProvider under that same name.

export const Commands = {
  explain: 'dexter.ui.explain',
  explainWith: 'dexter.ui.explainWith',
  selectModel: 'dexter.ui.selectModel',
  configureFallbackChain: 'dexter.ui.configureFallbackChain',
  setApiKey: 'dexter.ui.setApiKey',
  clearApiKey: 'dexter.ui.clearApiKey',
  showDashboard: 'dexter.ui.showDashboard',
  compareModels: 'dexter.ui.compareModels',
  modelStatistics: 'dexter.ui.modelStatistics',
  restartServer: 'dexter.ui.restartServer',
  showLogs: 'dexter.ui.showLogs',
} as const;

/** The server's commands (called through workspace/executeCommand, never registered here). */
export const ServerCommands = {
  explain: 'dexter.explain',
  listModels: 'dexter.listModels',
  refreshModels: 'dexter.refreshModels',
  selectModel: 'dexter.selectModel',
  setFallbackChain: 'dexter.setFallbackChain',
  getPreferences: 'dexter.getPreferences',
  compareModels: 'dexter.compareModels',
  modelStats: 'dexter.modelStats',
  dashboard: 'dexter.dashboard',
} as const;

export const Notifications = {
  explanationChunk: 'dexter/explanationChunk',
  didChangeDiagnostics: 'dexter/didChangeDiagnostics',
} as const;

export const Requests = {
  getCredential: 'dexter/getCredential',
} as const;
