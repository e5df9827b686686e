import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { chunkMatches, csp, pageHtml, summary } from '../src/explanation';
import { renderMarkdown } from '../src/markdown';
import { modelRows, move, statusBarView } from '../src/models';
import { forServer } from '../src/sections';
import { compareHtml, statsHtml } from '../src/tables';

test('markdown: model output cannot inject HTML', () => {
  const html = renderMarkdown('Use <script>alert(1)</script> and `x < y`\n\n```py\nif a<b: pass\n```');
  assert.ok(!html.includes('<script>'));
  assert.match(html, /&lt;script&gt;/);
  assert.match(html, /<code>x &lt; y<\/code>/);
  assert.match(html, /<pre><code>if a&lt;b: pass<\/code><\/pre>/);
});

test('markdown: headings, lists, emphasis', () => {
  const html = renderMarkdown('## Why\n- one **bold**\n- two *it*\n\nText');
  assert.match(html, /<h3>Why<\/h3>/);
  assert.match(html, /<ul><li>one <strong>bold<\/strong><\/li><li>two <em>it<\/em><\/li><\/ul>/);
  assert.match(html, /<p>Text<\/p>/);
});

test('the panel page has a strict CSP: no inline script without the nonce, nothing remote', () => {
  const page = pageHtml('T <x>', 'vscode-resource:', 'N0NCE');
  assert.match(page, /default-src 'none'/);
  assert.equal(csp('src', 'n'), "default-src 'none'; style-src src 'nonce-n'; script-src 'nonce-n'; img-src data:");
  for (const tag of page.match(/<script[^>]*>/g) ?? []) {
    assert.match(tag, /nonce="N0NCE"/);
  }
  assert.ok(page.includes('T &lt;x&gt;'));
  assert.match(page, /Explain with another model…/);
  assert.match(page, /Compare models…/);
});

test('summary: model, fallbacks taken, latency, tokens and cost', () => {
  const meta = summary({
    markdown: 'x',
    model: 'builtin/reference',
    requestedModel: 'openai/gpt-4o-mini',
    latencyMs: 812.4,
    usage: { inputTokens: 120, outputTokens: 40 },
    attempts: [
      { model: 'openai/gpt-4o-mini', outcome: 'timeout', error: 'no first token in 30 s' },
      { model: 'builtin/reference', outcome: 'success', costUsd: 0 },
    ],
  });
  const get = (label: string) => meta.find((m) => m.label === label)?.value;
  assert.equal(get('Model'), 'builtin/reference');
  assert.equal(get('Fallbacks'), 'openai/gpt-4o-mini: timeout (no first token in 30 s)');
  assert.equal(get('Latency'), '812 ms');
  assert.equal(get('Tokens'), '120 in / 40 out');
  assert.equal(get('Cost'), '$0.0000');
});

test('chunks: matched by id when the server echoes it, else by uri and range', () => {
  const range = { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } };
  assert.ok(chunkMatches({ uri: 'a', range, model: 'm', text: 't', id: 'r1' }, 'r1', 'b', undefined));
  assert.ok(!chunkMatches({ uri: 'a', range, model: 'm', text: 't', id: 'r0' }, 'r1', 'a', range));
  assert.ok(chunkMatches({ uri: 'a', range, model: 'm', text: 't' }, 'r1', 'a', range));
  assert.ok(!chunkMatches({ uri: 'a', range, model: 'm', text: 't' }, 'r1', 'a', { ...range, end: { line: 2, character: 0 } }));
});

test('model rows: grouped by provider with a separator each, status icons, description', () => {
  const rows = modelRows({
    chain: [],
    models: [
      { id: 'openai/gpt-4o-mini', provider: 'openai', name: 'gpt-4o-mini', status: 'needs key', family: 'gpt-4o', contextWindow: 128000 },
      { id: 'builtin/reference', provider: 'builtin', name: 'reference', status: 'available' },
      { id: 'openai/o3', provider: 'openai', name: 'o3', status: 'cooling down', statusDetail: '429 (20s left)' },
    ],
  }, 'builtin/reference');
  assert.deepEqual(rows.map((r) => (r.kind === 'separator' ? `-- ${r.label}` : r.label)), [
    '-- openai',
    '$(key) openai/gpt-4o-mini',
    '$(watch) openai/o3',
    '-- builtin',
    '$(pass-filled) builtin/reference (current)',
  ]);
  assert.equal(rows[1].description, 'gpt-4o · 128k ctx · needs key');
  assert.equal(rows[2].detail, '429 (20s left)');
});

test('status bar: the model, and its health when not available', () => {
  assert.equal(statusBarView('builtin/reference', { id: 'builtin/reference', provider: 'builtin', name: 'reference', status: 'available' }).text,
    '$(sparkle) builtin/reference');
  const cooling = statusBarView('openai/o3', { id: 'openai/o3', provider: 'openai', name: 'o3', status: 'cooling down', statusDetail: '429' });
  assert.equal(cooling.text, '$(sparkle) openai/o3 $(watch)');
  assert.match(cooling.tooltip, /cooling down — 429/);
});

test('fallback chain reordering', () => {
  assert.deepEqual(move(['a', 'b', 'c'], 'c', -1), ['a', 'c', 'b']);
  assert.deepEqual(move(['a', 'b'], 'a', -1), ['a', 'b']);
});

test('the server is not sent the extension-only settings', () => {
  assert.deepEqual(forServer({ model: 'm', server: { command: ['x'] }, trace: { server: 'off' } }), { model: 'm' });
  assert.equal(forServer(null), null);
});

test('compare view: one column per model, errors shown, content escaped', () => {
  const html = compareHtml([
    { model: 'a/x', markdown: 'use <b>', latencyMs: 10, usage: { inputTokens: 1, outputTokens: 2 }, costUsd: 0.001 },
    { model: 'b/y', markdown: null, error: 'needs key' },
  ]);
  assert.equal((html.match(/class="column"/g) ?? []).length, 2);
  assert.match(html, /use &lt;b&gt;/);
  assert.match(html, /needs key/);
  assert.match(html, /\$0\.0010/);
});

test('statistics table: one row per model', () => {
  const html = statsHtml({ window: '24h', requests: 2, models: [{ model: 'a/x', requests: 2, fallbacksTo: {} }] });
  assert.match(html, /<th>model<\/th><th>requests<\/th><\/tr>/);
  assert.match(html, /<td>a\/x<\/td><td>2<\/td>/);
  assert.match(statsHtml({ window: '1h', models: [] }), /No explanations recorded/);
});

test('markdown: the server\'s collapsible section becomes <details>, nothing else does', () => {
  const html = renderMarkdown('<details><summary>The tool\'s `own` explanation</summary>\n\nText\n</details>\n<img src=x>');
  assert.match(html, /^<details><summary>The tool&#39;s <code>own<\/code> explanation<\/summary>/);
  assert.match(html, /<\/details>/);
  assert.match(html, /&lt;img src=x&gt;/);
});

test('markdown: rules, quotes, links (http only), emphasis around code', () => {
  const html = renderMarkdown('> quoted <b>\n\nSee [docs](https://example.org/a_b) and [x](javascript:alert(1))\n\n---\n*Explained by `builtin/reference`.*');
  assert.match(html, /<blockquote>quoted &lt;b&gt;<\/blockquote>/);
  assert.match(html, /<a href="https:\/\/example.org\/a_b">docs<\/a>/);
  assert.ok(!html.includes('href="javascript'));
  assert.match(html, /<hr>/);
  assert.match(html, /<em>Explained by <code>builtin\/reference<\/code>.<\/em>/);
});
