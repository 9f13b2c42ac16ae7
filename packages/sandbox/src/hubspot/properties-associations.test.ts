import assert from 'node:assert/strict';
import type { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/associations/v4/index.js';
import {
  PropertyCreateFieldTypeEnum,
  PropertyCreateTypeEnum,
} from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import { captureApiError, startSandboxWithPortal } from './client-test-support.js';
import type { HubSpotSandbox } from './index.js';

describe('HubSpot sandbox: properties and associations v4 through @hubspot/api-client', () => {
  let sandbox: HubSpotSandbox;
  let portalId: number;
  let client: Client;

  beforeEach(async () => {
    ({ sandbox, portalId, client } = await startSandboxWithPortal());
  });

  afterEach(() => sandbox.close());

  it('creates a property, reads it back, 404s for a missing one and 409s for a duplicate', async () => {
    const missing = await captureApiError(() =>
      client.crm.properties.coreApi.getByName('contacts', 'onepagepay_customer_id'),
    );
    assert.equal(missing.code, 404);

    const definition = {
      name: 'onepagepay_customer_id',
      label: 'OnePagePay customer',
      type: PropertyCreateTypeEnum.String,
      fieldType: PropertyCreateFieldTypeEnum.Text,
      groupName: 'contactinformation',
      hasUniqueValue: true,
    };
    const created = await client.crm.properties.coreApi.create('contacts', definition);
    assert.equal(created.name, 'onepagepay_customer_id');
    assert.equal(created.hasUniqueValue, true);
    assert.ok(created.createdAt instanceof Date);

    const read = await client.crm.properties.coreApi.getByName('contacts', 'onepagepay_customer_id');
    assert.equal(read.label, 'OnePagePay customer');
    const all = await client.crm.properties.coreApi.getAll('contacts');
    assert.ok(all.results.some((property) => property.name === 'email'));
    assert.ok(
      sandbox.properties(portalId, 'contacts').some((property) => property.name === 'onepagepay_customer_id'),
    );

    const conflict = await captureApiError(() =>
      client.crm.properties.coreApi.create('contacts', definition),
    );
    assert.equal(conflict.code, 409);
    assert.equal(conflict.body['category'], 'OBJECT_ALREADY_EXISTS');

    const badGroup = await captureApiError(() =>
      client.crm.properties.coreApi.create('deals', { ...definition, groupName: 'nope' }),
    );
    assert.equal(badGroup.code, 400);
  });

  it('creates a property group that new properties can use', async () => {
    const group = await client.crm.properties.groupsApi.create('deals', {
      name: 'onepagepay',
      label: 'OnePagePay',
    });
    assert.equal(group.name, 'onepagepay');
    const property = await client.crm.properties.coreApi.create('deals', {
      name: 'onepagepay_status',
      label: 'Payment status',
      type: PropertyCreateTypeEnum.String,
      fieldType: PropertyCreateFieldTypeEnum.Text,
      groupName: 'onepagepay',
    });
    assert.equal(property.groupName, 'onepagepay');
  });

  it('associates a deal with a contact by default (basicApi) and reads it from both sides', async () => {
    const contact = await client.crm.contacts.basicApi.create({
      properties: { email: 'ada@example.com' },
      associations: [],
    });
    const deal = await client.crm.deals.basicApi.create({
      properties: { dealname: 'Order 1' },
      associations: [],
    });

    const result = await client.crm.associations.v4.basicApi.createDefault(
      'deals',
      deal.id,
      'contacts',
      contact.id,
    );
    assert.equal(result.results.length, 2);
    assert.deepEqual(
      result.results.map((item) => item.associationSpec.associationTypeId).sort((a, b) => a - b),
      [3, 4],
    );

    const fromDeal = await client.crm.associations.v4.basicApi.getPage('deals', deal.id, 'contacts');
    assert.equal(String(fromDeal.results[0]?.toObjectId), contact.id);
    assert.equal(fromDeal.results[0]?.associationTypes[0]?.typeId, 3);
    const fromContact = await client.crm.associations.v4.basicApi.getPage('contact', contact.id, 'deal');
    assert.equal(String(fromContact.results[0]?.toObjectId), deal.id);
    assert.equal(fromContact.results[0]?.associationTypes[0]?.typeId, 4);

    const withContacts = await client.crm.deals.basicApi.getById(deal.id, undefined, undefined, ['contacts']);
    const associated = withContacts.associations?.['contacts']?.results.map(({ id, type }) => ({ id, type }));
    assert.deepEqual(associated, [{ id: contact.id, type: 'deal_to_contact' }]);

    assert.deepEqual(sandbox.associations(portalId), [
      {
        fromType: 'deals',
        fromId: deal.id,
        toType: 'contacts',
        toId: contact.id,
        typeId: 3,
        category: 'HUBSPOT_DEFINED',
      },
    ]);
  });

  it('creates associations in batch (labelled and default) and reads them in batch', async () => {
    const deal = await client.crm.deals.basicApi.create({
      properties: { dealname: 'Order 2' },
      associations: [],
    });
    const items = await client.crm.lineItems.batchApi.create({
      inputs: [
        { properties: { name: 'Ticket' }, associations: [] },
        { properties: { name: 'Parking' }, associations: [] },
      ],
    });
    const [first, second] = items.results.map((item) => item.id) as [string, string];

    const created = await client.crm.associations.v4.batchApi.create('line_items', 'deals', {
      inputs: [
        {
          _from: { id: first },
          to: { id: deal.id },
          types: [
            {
              associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined,
              associationTypeId: 20,
            },
          ],
        },
      ],
    });
    assert.equal(created.results.length, 1);
    assert.equal(created.results[0]?.toObjectTypeId, '0-3');

    const defaults = await client.crm.associations.v4.batchApi.createDefault('line_items', 'deals', {
      inputs: [{ _from: { id: second }, to: { id: deal.id } }],
    });
    assert.equal(defaults.results.length, 2);

    const read = await client.crm.associations.v4.batchApi.getPage('deals', 'line_items', {
      inputs: [{ id: deal.id }],
    });
    const targets = read.results[0]?.to.map((item) => String(item.toObjectId)).sort();
    assert.deepEqual(targets, [first, second].sort());
    assert.equal(sandbox.associations(portalId).length, 2);

    const wrongType = await client.crm.associations.v4.batchApi.create('line_items', 'deals', {
      inputs: [
        {
          _from: { id: first },
          to: { id: deal.id },
          types: [
            {
              associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined,
              associationTypeId: 4,
            },
          ],
        },
      ],
    });
    assert.equal(wrongType.results.length, 0);
    assert.equal((wrongType as { numErrors?: number }).numErrors, 1);
  });

  it('creates associations given on object create (v3 associations input)', async () => {
    const contact = await client.crm.contacts.basicApi.create({
      properties: { email: 'bob@example.com' },
      associations: [],
    });
    const deal = await client.crm.deals.basicApi.create({
      properties: { dealname: 'Order 3' },
      associations: [
        {
          to: { id: contact.id },
          types: [
            {
              associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined,
              associationTypeId: 3,
            },
          ],
        },
      ] as never,
    });
    const fromContact = await client.crm.associations.v4.basicApi.getPage('contacts', contact.id, 'deals');
    assert.equal(String(fromContact.results[0]?.toObjectId), deal.id);
  });
});
