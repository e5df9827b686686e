import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { backoffMs, findServer, notFoundMessage, Probes } from '../src/lookup';

function probes(onPath: string | undefined, importable: string[]): Probes & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    which: async (name) => {
      asked.push(`which ${name}`);
      return onPath;
    },
    canImport: async (python) => {
      asked.push(`import ${python}`);
      return importable.includes(python);
    },
  };
}

test('the setting wins and nothing else is probed', async () => {
  const p = probes('/usr/bin/dexter-ls', ['python3']);
  const lookup = await findServer(['/opt/dexter/bin/dexter-ls', '--log', 'x'], [], p);
  assert.deepEqual(lookup.found, { source: 'setting', command: '/opt/dexter/bin/dexter-ls', args: ['--log', 'x'] });
  assert.deepEqual(p.asked, []);
});

test('then dexter-ls on PATH', async () => {
  const lookup = await findServer([], ['/venv/bin/python'], probes('/home/u/.local/bin/dexter-ls', []));
  assert.equal(lookup.found?.source, 'path');
  assert.equal(lookup.found?.command, '/home/u/.local/bin/dexter-ls');
});

test('then the selected interpreter with -m dexter_ls', async () => {
  const lookup = await findServer([], ['/venv/bin/python'], probes(undefined, ['/venv/bin/python']));
  assert.deepEqual(lookup.found, { source: 'interpreter', command: '/venv/bin/python', args: ['-m', 'dexter_ls'] });
});

test('python3 when no interpreter is selected', async () => {
  const p = probes(undefined, ['python3']);
  const lookup = await findServer([], [], p);
  assert.equal(lookup.found?.command, 'python3');
  assert.deepEqual(p.asked, ['which dexter-ls', 'import python3']);
});

test('nothing found: the message names everything tried', async () => {
  const lookup = await findServer([], ['/venv/bin/python'], probes(undefined, []));
  assert.equal(lookup.found, undefined);
  const message = notFoundMessage(lookup.tried);
  assert.match(message, /dexter\.server\.command/);
  assert.match(message, /dexter-ls on PATH \(not found\)/);
  assert.match(message, /\/venv\/bin\/python -m dexter_ls/);
});

test('restarts back off exponentially up to 30 s', () => {
  assert.deepEqual([0, 1, 2, 3, 10].map(backoffMs), [1000, 2000, 4000, 8000, 30000]);
});
