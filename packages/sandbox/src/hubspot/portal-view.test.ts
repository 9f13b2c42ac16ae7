import assert from 'node:assert/strict';
import { Client } from '@hubspot/api-client';
import { startHubSpotSandbox, type HubSpotSandbox } from './index.js';

describe('HubSpot sandbox: the read-only portal view', () => {
  let sandbox: HubSpotSandbox;

  beforeEach(async () => {
    sandbox = await startHubSpotSandbox();
  });
  afterEach(() => sandbox.close());

  it('shows what the portal holds, as HTML (escaped) and as JSON, with no token', async () => {
    const { portalId, accessToken } = sandbox.createPortal();
    const client = new Client({ accessToken, basePath: sandbox.url, numberOfApiCallRetries: 0 });
    await client.crm.contacts.basicApi.create({
      properties: { email: 'ada@example.com', firstname: '<script>alert(1)</script>' },
      associations: [],
    });
    const formGuid = sandbox.createForm(portalId, { fields: ['email'] });
    await fetch(`${sandbox.url}/submissions/v3/integration/submit/${portalId}/${formGuid}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fields: [{ name: 'email', value: 'ada@example.com' }] }),
    });

    const records = (await (await fetch(`${sandbox.url}/sandbox/portals/${portalId}/records`)).json()) as {
      contacts: Array<{ properties: Record<string, string> }>;
      formSubmissions: unknown[];
      deals: unknown[];
    };
    assert.equal(records.contacts.length, 1);
    assert.equal(records.contacts[0]?.properties.email, 'ada@example.com');
    assert.equal(records.formSubmissions.length, 1);
    assert.deepEqual(records.deals, []);

    const page = await fetch(`${sandbox.url}/sandbox/portals/${portalId}`);
    assert.equal(page.status, 200);
    assert.match(String(page.headers.get('content-type')), /^text\/html/);
    const html = await page.text();
    assert.match(html, /Contacts \(1\)/);
    assert.match(html, /Form submissions \(1\)/);
    assert.ok(html.includes('ada@example.com'));
    assert.ok(!html.includes('<script>alert(1)</script>'), 'property values are escaped');

    assert.equal((await fetch(`${sandbox.url}/sandbox/portals/999`)).status, 404);
  });
});
