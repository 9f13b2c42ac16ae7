import assert from 'node:assert/strict';
import type { Client } from '@hubspot/api-client';
import type { HubSpotSandbox } from './index.js';
import { startSandboxWithPortal } from './client-test-support.js';

describe('HubSpot sandbox: GET /form-integrations/v1/submissions/forms/{formGuid}', () => {
  let sandbox: HubSpotSandbox;
  let portalId: number;
  let client: Client;

  beforeEach(async () => ({ sandbox, portalId, client } = await startSandboxWithPortal()));
  afterEach(() => sandbox.close());

  interface Listed {
    conversionId: string;
    submittedAt: number;
    values: Array<{ name: string; value: string }>;
    pageUrl: string;
  }
  interface ListBody {
    results: Listed[];
    paging?: { next: { after: string } };
    category?: string;
  }
  const get = async (path: string) => {
    const response = await client.apiRequest({ method: 'GET', path });
    return { status: response.status, body: (await response.json()) as ListBody };
  };

  it('lists a form’s submissions newest first, 20 a page by default, with a cursor for the rest', async () => {
    const formGuid = sandbox.createForm(portalId, { fields: ['email', 'onepagepay_transaction_id'] });
    for (let index = 0; index < 23; index++) {
      const response = await fetch(
        `${sandbox.url}/submissions/v3/integration/submit/${portalId}/${formGuid}`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            submittedAt: String(1_767_225_600_000 + index * 1000),
            fields: [
              { name: 'email', value: `payer${index}@example.com` },
              { name: 'onepagepay_transaction_id', value: `tx-${index}` },
            ],
            context: { pageUri: 'https://shop.example/pay' },
          }),
        },
      );
      assert.equal(response.status, 200);
    }
    const first = await get(`/form-integrations/v1/submissions/forms/${formGuid}`);
    assert.equal(first.status, 200);
    assert.equal(first.body.results.length, 20);
    const newest = first.body.results[0]!;
    assert.equal(newest.submittedAt, 1_767_225_600_000 + 22_000);
    assert.deepEqual(newest.values, [
      { name: 'email', value: 'payer22@example.com' },
      { name: 'onepagepay_transaction_id', value: 'tx-22' },
    ]);
    assert.equal(newest.pageUrl, 'https://shop.example/pay');
    assert.match(newest.conversionId, /^[0-9a-f-]{36}$/);
    const after = first.body.paging?.next.after;
    const rest = await get(`/form-integrations/v1/submissions/forms/${formGuid}?limit=50&after=${after}`);
    assert.deepEqual(
      rest.body.results.map((result) => result.values[1]?.value),
      ['tx-2', 'tx-1', 'tx-0'],
    );
    assert.equal(rest.body.paging, undefined, 'no cursor on the last page');
  });

  it('answers 404 for an unknown form, 400 for a limit over 50, and 401 without a token', async () => {
    const formGuid = sandbox.createForm(portalId, {});
    const unknown = await get('/form-integrations/v1/submissions/forms/nope');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.category, 'OBJECT_NOT_FOUND');
    const tooMany = await get(`/form-integrations/v1/submissions/forms/${formGuid}?limit=51`);
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.category, 'VALIDATION_ERROR');
    const anonymous = await fetch(`${sandbox.url}/form-integrations/v1/submissions/forms/${formGuid}`);
    assert.equal(anonymous.status, 401);
  });
});
