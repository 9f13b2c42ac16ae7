import assert from 'node:assert/strict';
import { loadConfig } from '../config.js';
import { TokenCipher } from './token-cipher.js';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');

describe('TokenCipher (AES-256-GCM with key ids)', () => {
  const context = 'hubspot:tenant-a:test:access';

  it('seals with the first key, opens with any listed key, and refuses a moved or altered secret', () => {
    const old = new TokenCipher(loadConfig({ ONEPAGEPAY_ENCRYPTION_KEYS: `k1:${key(1)}` }).encryptionKeys);
    const sealedOld = old.seal('pat-na1-secret', context);
    assert.match(sealedOld, /^v1\.k1\./);
    assert.ok(!sealedOld.includes('secret'));
    assert.notEqual(old.seal('pat-na1-secret', context), sealedOld, 'a fresh IV every time');

    const rotated = new TokenCipher(
      loadConfig({ ONEPAGEPAY_ENCRYPTION_KEYS: `k2:${key(2)},k1:${key(1)}` }).encryptionKeys,
    );
    assert.equal(rotated.open(sealedOld, context), 'pat-na1-secret', 'old secrets still open after rotation');
    assert.match(rotated.seal('new', context), /^v1\.k2\./, 'new secrets use the current key');
    assert.throws(() => rotated.open(sealedOld, 'hubspot:tenant-b:test:access'), /unable to authenticate/);
    const [v, kid, iv, tag, data] = sealedOld.split('.') as [string, string, string, string, string];
    // Change one whole ciphertext character (the last one carries padding bits too): always a different one.
    const changed = data.at(-2) === 'A' ? 'B' : 'A';
    const flipped = `${v}.${kid}.${iv}.${tag}.${data.slice(0, -2)}${changed}${data.slice(-1)}`;
    assert.notEqual(flipped, sealedOld);
    assert.throws(() => rotated.open(flipped, context));
    const dropped = new TokenCipher(
      loadConfig({ ONEPAGEPAY_ENCRYPTION_KEYS: `k2:${key(2)}` }).encryptionKeys,
    );
    assert.throws(() => dropped.open(sealedOld, context), /sealed with key "k1".*ONEPAGEPAY_ENCRYPTION_KEYS/);
    assert.throws(() => new TokenCipher([]).seal('x', context), /ONEPAGEPAY_ENCRYPTION_KEYS is not set/);
  });

  it('validates the HubSpot and key configuration with the variable names', () => {
    assert.throws(
      () => loadConfig({ ONEPAGEPAY_ENCRYPTION_KEYS: 'k1:c2hvcnQ=' }),
      /ONEPAGEPAY_ENCRYPTION_KEYS entry 1/,
    );
    assert.throws(
      () => loadConfig({ ONEPAGEPAY_ENCRYPTION_KEYS: `k1:${key(1)},k1:${key(2)}` }),
      /key id twice/,
    );
    assert.throws(
      () => loadConfig({ HUBSPOT_CLIENT_ID: 'abc' }),
      /HUBSPOT_CLIENT_SECRET and HUBSPOT_REDIRECT_URI must be set/,
    );
    assert.throws(
      () => loadConfig({ HUBSPOT_API_BASE: 'not a url' }),
      /HUBSPOT_API_BASE must be an absolute URL/,
    );
    assert.throws(() => loadConfig({ HUBSPOT_MAX_ATTEMPTS: '0' }), /HUBSPOT_MAX_ATTEMPTS must be an integer/);
    assert.throws(
      () => loadConfig({ HUBSPOT_WORKER_ENABLED: 'maybe' }),
      /HUBSPOT_WORKER_ENABLED must be true or false/,
    );
    const defaults = loadConfig({}).hubspot;
    assert.equal(defaults.formSubmissionDelayMs, 600_000, 'the server-side submission waits 10 minutes');
    assert.equal(defaults.worker.enabled, true);
    assert.equal(defaults.oauth, undefined);
    const base = loadConfig({ HUBSPOT_API_BASE: 'http://127.0.0.1:9/' }).hubspot;
    assert.equal(base.formsApiBase?.toString(), 'http://127.0.0.1:9/', 'a sandbox serves the forms API too');
  });
});
