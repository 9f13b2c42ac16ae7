import assert from 'node:assert/strict';
import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import {
  PropertyCreateFieldTypeEnum,
  PropertyCreateTypeEnum,
} from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import { captureApiError, startSandboxWithPortal } from './client-test-support.js';
import { startHubSpotSandbox, type HubSpotSandbox } from './index.js';

describe('HubSpot sandbox: CRM objects through @hubspot/api-client', () => {
  let sandbox: HubSpotSandbox;
  let portalId: number;
  let client: Client;

  beforeEach(async () => {
    ({ sandbox, portalId, client } = await startSandboxWithPortal());
  });

  afterEach(() => sandbox.close());

  it('upserts contacts by email: creates, then updates the same contact (case-insensitive), no duplicates', async () => {
    const first = await client.crm.contacts.batchApi.upsert({
      inputs: [{ id: 'Ada@Example.com', idProperty: 'email', properties: { firstname: 'Ada' } }],
    });
    assert.equal(first.results.length, 1);
    assert.equal(first.results[0]?._new, true);
    assert.equal(first.results[0]?.properties['email'], 'ada@example.com');

    const second = await client.crm.contacts.batchApi.upsert({
      inputs: [{ id: 'ada@example.com', idProperty: 'email', properties: { lastname: 'Lovelace' } }],
    });
    assert.equal(second.results[0]?._new, false);
    assert.equal(second.results[0]?.id, first.results[0]?.id);

    const stored = sandbox.contacts(portalId);
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.properties['firstname'], 'Ada');
    assert.equal(stored[0]?.properties['lastname'], 'Lovelace');

    const byEmail = await client.crm.contacts.basicApi.getById(
      'ADA@example.com',
      ['firstname', 'lastname'],
      undefined,
      undefined,
      false,
      'email',
    );
    assert.equal(byEmail.id, first.results[0]?.id);
    assert.equal(byEmail.properties['lastname'], 'Lovelace');
  });

  it('upserts deals by a unique custom property once that property exists', async () => {
    const upsert = () =>
      client.crm.deals.batchApi.upsert({
        inputs: [
          {
            id: 'txn_1',
            idProperty: 'onepagepay_transaction_id',
            properties: { dealname: 'Order 1', amount: '12.50' },
          },
        ],
      });
    const before = await captureApiError(upsert);
    assert.equal(before.code, 400);
    assert.equal(before.body['category'], 'VALIDATION_ERROR');

    await client.crm.properties.coreApi.create('deals', {
      name: 'onepagepay_transaction_id',
      label: 'OnePagePay transaction',
      type: PropertyCreateTypeEnum.String,
      fieldType: PropertyCreateFieldTypeEnum.Text,
      groupName: 'dealinformation',
      hasUniqueValue: true,
    });
    const created = await upsert();
    assert.equal(created.results[0]?._new, true);
    assert.equal(created.results[0]?.properties['onepagepay_transaction_id'], 'txn_1');
    const again = await upsert();
    assert.equal(again.results[0]?._new, false);
    assert.equal(sandbox.deals(portalId).length, 1);

    const duplicate = await captureApiError(() =>
      client.crm.deals.basicApi.create({
        properties: { dealname: 'Copy', onepagepay_transaction_id: 'txn_1' },
        associations: [],
      }),
    );
    assert.equal(duplicate.code, 409);
    assert.equal(duplicate.body['category'], 'CONFLICT');
    assert.equal(sandbox.deals(portalId).length, 1);
  });

  it('rejects a batch of more than 100 inputs with a 400 VALIDATION_ERROR and stores nothing', async () => {
    const inputs = Array.from({ length: 101 }, (_, index) => ({
      id: `buyer${index}@example.com`,
      idProperty: 'email',
      properties: { firstname: `Buyer ${index}` },
    }));
    const error = await captureApiError(() => client.crm.contacts.batchApi.upsert({ inputs }));
    assert.equal(error.code, 400);
    assert.equal(error.body['status'], 'error');
    assert.equal(error.body['category'], 'VALIDATION_ERROR');
    assert.match(String(error.body['correlationId']), /^[0-9a-f-]{36}$/);
    assert.equal(sandbox.contacts(portalId).length, 0);

    const hundred = await client.crm.contacts.batchApi.upsert({ inputs: inputs.slice(0, 100) });
    assert.equal(hundred.results.length, 100);
  });

  it('answers 409 for a second contact with the same email and 400 for unknown properties', async () => {
    const contact = await client.crm.contacts.basicApi.create({
      properties: { email: 'grace@example.com' },
      associations: [],
    });
    const conflict = await captureApiError(() =>
      client.crm.contacts.basicApi.create({ properties: { email: 'GRACE@example.com' }, associations: [] }),
    );
    assert.equal(conflict.code, 409);
    assert.equal(conflict.body['message'], `Contact already exists. Existing ID: ${contact.id}`);

    const unknown = await captureApiError(() =>
      client.crm.contacts.basicApi.update(contact.id, { properties: { no_such_property: 'x' } }),
    );
    assert.equal(unknown.code, 400);
    assert.match(String(unknown.body['message']), /PROPERTY_DOESNT_EXIST/);
  });

  it('creates in batch (201), reads in batch with a 207 for missing ids, and finds by search EQ', async () => {
    const created = await client.crm.lineItems.batchApi.create({
      inputs: [
        { properties: { name: 'Ticket', quantity: '2', price: '10' }, associations: [] },
        { properties: { name: 'Parking', quantity: '1', price: '5' }, associations: [] },
      ],
    });
    assert.equal(created.results.length, 2);
    const ids = created.results.map((item) => item.id);

    const read = await client.crm.lineItems.batchApi.read({
      inputs: [{ id: ids[0] as string }, { id: '424242' }],
      properties: ['name'],
      propertiesWithHistory: [],
    });
    assert.equal(read.results.length, 1);
    assert.equal(read.results[0]?.properties['name'], 'Ticket');
    assert.equal((read as { numErrors?: number }).numErrors, 1);

    const found = await client.crm.lineItems.searchApi.doSearch({
      filterGroups: [
        { filters: [{ propertyName: 'name', operator: FilterOperatorEnum.Eq, value: 'parking' }] },
      ],
      properties: ['name', 'quantity'],
      limit: 10,
    });
    assert.equal(found.total, 1);
    assert.equal(found.results[0]?.id, ids[1]);
    assert.equal(found.results[0]?.properties['quantity'], '1');

    const sorted = await client.crm.lineItems.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'price', operator: FilterOperatorEnum.Gte, value: '5' }] }],
      sorts: [{ propertyName: 'price', direction: 'DESCENDING' } as never],
      properties: ['name'],
      limit: 1,
    });
    assert.equal(sorted.total, 2);
    assert.equal(sorted.results[0]?.properties['name'], 'Ticket');
    assert.equal(sorted.paging?.next?.after, '1');
  });

  it('updates by idProperty and 404s with HubSpot’s body for unknown records', async () => {
    await client.crm.contacts.basicApi.create({
      properties: { email: 'linus@example.com' },
      associations: [],
    });
    const updated = await client.crm.contacts.basicApi.update(
      'linus@example.com',
      { properties: { firstname: 'Linus' } },
      'email',
    );
    assert.equal(updated.properties['firstname'], 'Linus');

    const missing = await captureApiError(() => client.crm.deals.basicApi.getById('999999'));
    assert.equal(missing.code, 404);
    assert.equal(missing.body['category'], 'OBJECT_NOT_FOUND');
  });

  it('can hide fresh records from search, like HubSpot’s lagging index', async () => {
    await sandbox.close();
    let now = Date.parse('2026-03-02T12:00:00Z');
    sandbox = await startHubSpotSandbox({ clock: () => now, searchLagMs: 5000 });
    const portal = sandbox.createPortal();
    const lagging = new Client({ accessToken: portal.accessToken, basePath: sandbox.url });
    await lagging.crm.contacts.basicApi.create({
      properties: { email: 'new@example.com' },
      associations: [],
    });
    const search = () =>
      lagging.crm.contacts.searchApi.doSearch({
        filterGroups: [
          { filters: [{ propertyName: 'email', operator: FilterOperatorEnum.Eq, value: 'new@example.com' }] },
        ],
      });
    assert.equal((await search()).total, 0);
    now += 5000;
    assert.equal((await search()).total, 1);
  });
});
