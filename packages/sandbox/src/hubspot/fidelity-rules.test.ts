import assert from 'node:assert/strict';
import { Client } from '@hubspot/api-client';
import { HUBSPOT_FIDELITY_RULES } from './fidelity-rules.js';
import { startHubSpotSandbox, type HubSpotSandbox } from './index.js';

describe('HubSpot sandbox: the written fidelity rules hold, through @hubspot/api-client', () => {
  let sandbox: HubSpotSandbox;
  let now = Date.now();

  afterEach(() => sandbox?.close());

  it('names a public HubSpot page for every rule', () => {
    const ids = new Set<string>();
    for (const rule of HUBSPOT_FIDELITY_RULES) {
      assert.ok(!ids.has(rule.id), `duplicate rule ${rule.id}`);
      ids.add(rule.id);
      for (const source of rule.source.split(' ; ')) {
        assert.match(source, /^https:\/\/(developers|knowledge)\.hubspot\.com\//, `${rule.id}: ${source}`);
      }
    }
  });

  for (const rule of HUBSPOT_FIDELITY_RULES) {
    it(`${rule.id}: ${rule.rule}`, async () => {
      now = Date.now();
      sandbox = await startHubSpotSandbox({ clock: () => now });
      const { portalId, accessToken } = sandbox.createPortal();
      const client = new Client({ accessToken, basePath: sandbox.url, numberOfApiCallRetries: 0 });
      await rule.check({ sandbox, portalId, client, setNow: (ms) => (now = ms) });
    });
  }
});
