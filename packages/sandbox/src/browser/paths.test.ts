import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { browserFakePath, listBrowserFakes } from './paths.js';
import type { BrowserFakeName } from './paths.js';

describe('browserFakePath', () => {
  for (const name of listBrowserFakes()) {
    it(`points at the ${name} script`, async () => {
      const path = browserFakePath(name);
      assert.match(path, new RegExp(`/packages/sandbox/browser/${name.replace('.', '\\.')}$`));
      const text = await readFile(path, 'utf8');
      assert.match(text, /^\/\* OnePagePay sandbox: a fake of /);
    });
  }

  it('rejects an unknown name', () => {
    assert.throws(() => browserFakePath('venmo.js' as BrowserFakeName), /Unknown browser fake "venmo\.js"/);
  });
});
