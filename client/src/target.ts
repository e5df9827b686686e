// The diagnostic under the cursor, as the server's commands take it: {uri, diagnostic}.
import type { LanguageClient } from 'vscode-languageclient/node';
import type { Target } from './panel';
import { activeEditor, getDiagnostics } from './vscodeapi';

export async function targetAtCursor(client: LanguageClient): Promise<Target | undefined> {
  const editor = activeEditor();
  if (!editor) {
    return undefined;
  }
  const position = editor.selection.active;
  const here = getDiagnostics(editor.document.uri).filter((d) => d.range.contains(position));
  const chosen = here[0] ?? getDiagnostics(editor.document.uri).find((d) => d.range.start.line === position.line);
  if (!chosen) {
    return undefined;
  }
  const diagnostic = await client.code2ProtocolConverter.asDiagnostic(chosen);
  return { uri: editor.document.uri.toString(), diagnostic: diagnostic as unknown as Target['diagnostic'] };
}
