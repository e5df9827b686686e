// Contributed command ids never equal the server's (vscode-languageclient registers those).
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Commands, ServerCommands } from '../src/ids';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Every `@ls.command("…")` in the server's features package. */
function serverCommandIds(): Set<string> {
  const dir = join(root, '..', 'dexter_ls', 'features');
  const ids = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.py'))) {
    for (const match of readFileSync(join(dir, file), 'utf8').matchAll(/@ls\.command\(\s*["']([^"']+)["']/g)) {
      ids.add(match[1]);
    }
  }
  return ids;
}

test('the server source lists its commands (the scan finds them)', () => {
  const ids = serverCommandIds();
  assert.ok(ids.has('dexter.explain'), `found: ${[...ids].join(', ')}`);
  assert.ok(ids.size >= 9);
});

test('no contributed command id equals a server command id', () => {
  const server = serverCommandIds();
  const contributed: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command);
  const clashes = contributed.filter((id) => server.has(id));
  assert.deepEqual(clashes, []);
});

test('every command the extension registers is contributed, and nothing else is', () => {
  const contributed = pkg.contributes.commands.map((c: { command: string }) => c.command).sort();
  assert.deepEqual(contributed, Object.values(Commands).sort());
});

test('the server commands the extension calls exist on the server', () => {
  const server = serverCommandIds();
  const missing = Object.values(ServerCommands).filter((id) => !server.has(id));
  assert.deepEqual(missing, []);
});

test('settings that send code or keys elsewhere are restricted in untrusted workspaces', () => {
  const restricted: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
  for (const key of ['dexter.providers', 'dexter.prompts.directory', 'dexter.model', 'dexter.server.command']) {
    assert.ok(restricted.includes(key), key);
  }
  const props = pkg.contributes.configuration.properties;
  assert.equal(props['dexter.providers'].scope, 'machine');
  assert.equal(props['dexter.server.command'].scope, 'machine');
});

test('engines.vscode and @types/vscode agree and are pinned', () => {
  assert.equal(pkg.devDependencies['@types/vscode'], pkg.engines.vscode.replace(/^\^/, ''));
});
