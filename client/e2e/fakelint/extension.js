// A stand-in for another linter (Pylance, ESLint…): one diagnostic per `undefined_name`.
const vscode = require('vscode');

function activate(context) {
  const collection = vscode.languages.createDiagnosticCollection('fakelint');
  const lint = (document) => {
    if (document.languageId !== 'python') {
      return;
    }
    const found = [];
    document.getText().split('\n').forEach((line, index) => {
      const at = line.indexOf('undefined_name');
      if (at >= 0) {
        const range = new vscode.Range(index, at, index, at + 'undefined_name'.length);
        const diagnostic = new vscode.Diagnostic(range, "undefined name 'undefined_name'", vscode.DiagnosticSeverity.Error);
        diagnostic.source = 'fakelint';
        diagnostic.code = 'F821';
        found.push(diagnostic);
      }
    });
    collection.set(document.uri, found);
  };
  vscode.workspace.textDocuments.forEach(lint);
  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(lint),
    vscode.workspace.onDidChangeTextDocument((e) => lint(e.document)),
  );
}

module.exports = { activate };
