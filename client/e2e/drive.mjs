// Drives code-server (with the Dexter .vsix installed) in Debian's Chromium through
// playwright-core: quick fix -> panel fills (builtin/reference), Set API Key, Select Model ->
// status bar changes, quick fix again -> the fake model streams slowly with progress shown.
// Every wait is on UI state. Run by tests/editors/test_vscode.py, which sets the env below.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const url = process.env.CODE_SERVER_URL;
const shots = process.env.SCREENSHOTS;
const model = process.env.DEXTER_E2E_MODEL; // e.g. claude/claude-sonnet-4-5-20250929
const provider = model.split('/')[0];
const key = process.env.DEXTER_E2E_KEY;
const T = 90_000;

const step = (name) => console.log(`step: ${name}`);

const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'dexter-chromium-')), {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1500, height: 900 },
});
const page = browser.pages()[0] ?? (await browser.newPage());
page.setDefaultTimeout(T);
const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`) });

async function palette(command) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${command}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first().waitFor();
  await page.keyboard.press('Enter');
}

async function pick(text) {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ state: 'visible' });
  await row.click();
}

const panelFrame = () => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

async function explainViaQuickFix() {
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').fill(':2:12');
  await page.keyboard.press('Enter');
  await page.locator('.lightBulbWidget, .codicon-light-bulb, .codicon-lightbulb').first().waitFor({ state: 'visible' });
  await page.keyboard.press('Control+.');
  const action = page.locator('.action-widget .monaco-list-row', { hasText: 'Dexter: explain' }).first();
  await action.waitFor({ state: 'visible' });
  await shot('1-quick-fix');
  await action.click();
}

/** Hovers `target` until `shown` appears: a hover asked before the forwarded diagnostics
 * reached the server stays as it was, so move away and hover again (up to the deadline). */
async function hoverUntil(target, shown) {
  const deadline = Date.now() + T;
  for (;;) {
    await target.hover();
    try {
      await shown.waitFor({ state: 'visible', timeout: 3000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) {throw error;}
    }
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
  }
}

/** Waits until some webview frame has `selector` containing `text` (webviews nest frames). */
async function webviewShows(selector, text) {
  const deadline = Date.now() + T;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (await frame.locator(selector, { hasText: text }).count().catch(() => 0)) {
        return;
      }
    }
    await page.waitForTimeout(200); // polling the frames' state, up to the deadline
  }
  throw new Error(`no webview with ${selector} showing ${text}`);
}

try {
  step('open the workspace');
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor();
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'app.py' }).click();
  await page.locator('.monaco-editor .view-lines', { hasText: 'undefined_name' }).first().waitFor();

  step('the other linter\'s diagnostic shows (problems counter)');
  await page.locator('#status\\.problems', { hasText: '1' }).waitFor();

  step('hover: the server knows the other linter\'s diagnostic (forwarded dexter/didChangeDiagnostics)');
  await page.locator('.statusbar-item', { hasText: 'builtin/reference' }).first().waitFor(); // the server is up
  await hoverUntil(page.locator('.monaco-editor .view-lines span', { hasText: 'undefined_name' }).last(),
    page.locator('.monaco-hover', { hasText: 'Dexter' }).first());
  await shot('0-hover');
  await page.keyboard.press('Escape');

  step('quick fix "Dexter: explain" opens the panel, answered by builtin/reference');
  await explainViaQuickFix();
  await panelFrame().locator('#state[data-state="done"]').waitFor();
  await panelFrame().locator('dd[data-meta="model"]', { hasText: 'builtin/reference' }).waitFor();
  const first = await panelFrame().locator('#body').innerText();
  if (!first.trim()) {throw new Error('the panel is empty');}
  await shot('2-panel-builtin');

  step('Dexter: Set API Key stores a key for the fake provider');
  await palette('Dexter: Set API Key');
  await pick(provider);
  const keyInput = page.locator('.quick-input-widget input[type="password"]');
  await keyInput.waitFor({ state: 'visible' });
  await keyInput.fill(key);
  await page.keyboard.press('Enter');
  await page.locator('.notifications-toasts', { hasText: `key for ${provider} stored` }).waitFor();

  step('Dexter: Select Model lists the fake provider\'s models once the key is in; the status bar follows');
  await palette('Dexter: Select Model');
  const input = page.locator('.quick-input-widget input');
  await input.fill(model);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: model }).first();
  await row.waitFor({ state: 'visible' });
  await shot('3-select-model');
  await row.click();
  await pick('This workspace');
  await page.locator('.statusbar-item', { hasText: model }).first().waitFor();
  await shot('4-status-bar');

  step('quick fix again: the fake streams slowly; progress and the panel fill in');
  await page.locator('.monaco-editor .view-lines').first().click();
  await explainViaQuickFix();
  await page.locator('.notifications-toasts', { hasText: 'Dexter: explaining' }).waitFor();
  await panelFrame().locator('#state[data-state="streaming"]').waitFor();
  await shot('5-streaming');
  await panelFrame().locator('#state[data-state="done"]').waitFor();
  await panelFrame().locator('dd[data-meta="model"]', { hasText: model }).waitFor();
  const answer = await panelFrame().locator('#body').innerText();
  if (!answer.includes('read before anything assigns it')) {throw new Error(`unexpected answer: ${answer}`);}
  await shot('6-panel-fake-model');
  step('the status bar shows the model as healthy (no "needs key" icon) now that it answered');
  await page.locator('.statusbar-item', { hasText: model, hasNot: page.locator('.codicon-key') }).first().waitFor();

  step('Dexter: Configure Fallback Chain: choose the fake model, keep the order, save for the workspace');
  await palette('Dexter: Configure Fallback Chain');
  const chainInput = page.locator('.quick-input-widget input[type="text"], .quick-input-widget input:not([type])').first();
  await page.locator('.quick-input-widget', { hasText: '(1/2)' }).waitFor({ state: 'visible' });
  await chainInput.fill(model);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: model }).first().click();
  await page.locator('.quick-input-list .monaco-list-row[aria-checked="true"]', { hasText: model }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget', { hasText: '(2/2)' }).waitFor({ state: 'visible' });
  await pick('Done');
  await pick('This workspace');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });

  step('Dexter: Show Model Dashboard shows the server\'s page, with the fake model in it');
  await palette('Dexter: Show Model Dashboard');
  await webviewShows('h1', 'Dexter model dashboard');
  await webviewShows('body', model);
  await shot('7-dashboard');

  step('Dexter: Model Statistics lists the models that answered');
  await palette('Dexter: Model Statistics');
  await webviewShows('td', model);
  await shot('8-statistics');

  step('Dexter: Compare Models on the diagnostic under the cursor: two answers side by side');
  await page.locator('.monaco-editor .view-lines', { hasText: 'undefined_name' }).first().click();
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').fill(':2:12');
  await page.keyboard.press('Enter');
  await palette('Dexter: Compare Models');
  await page.locator('.quick-input-widget', { hasText: 'model 1' }).waitFor({ state: 'visible' });
  await page.locator('.quick-input-widget input').fill('builtin/reference');
  await pick('builtin/reference');
  await page.locator('.quick-input-widget', { hasText: 'model 2' }).waitFor({ state: 'visible' });
  await page.locator('.quick-input-widget input').fill(model);
  await pick(model);
  await page.locator('.quick-input-widget', { hasText: 'Escape to run' }).waitFor({ state: 'visible' });
  await page.keyboard.press('Escape');
  await webviewShows('section.column[data-model="builtin/reference"]', 'builtin/reference');
  await webviewShows(`section.column[data-model="${model}"]`, 'undefined');
  await shot('9-compare');
  console.log('e2e: ok');
} catch (error) {
  await shot('failure').catch(() => {});
  console.error(`e2e failed: ${error && error.stack ? error.stack : error}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
