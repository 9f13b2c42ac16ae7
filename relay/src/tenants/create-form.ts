import type { Knex } from 'knex';
import { Form } from '../db/models/form.js';
import { Tenant } from '../db/models/tenant.js';
import { inTenantTransaction } from '../db/tenant-scope.js';
import { RelayError } from '../errors.js';
import { isUuid } from '../ids.js';
import { checkFormSettings } from './form-settings.js';

export interface NewForm {
  tenantId: string;
  hubspotFormGuid: string;
  productName: string;
  currency: string;
  /** Fixed price in minor units; or leave it out and give customAmount. */
  amount?: number | null;
  customAmount?: { min: number; max: number } | null;
  livemode?: boolean;
  providers?: string[];
}

export async function createForm(knex: Knex, input: NewForm): Promise<Form> {
  // Everything is checked before the first query, so a malformed id never reaches a uuid cast.
  if (!isUuid(input.tenantId)) throw new RelayError('not_found', `No tenant ${input.tenantId}.`);
  if (!/^[A-Za-z0-9-]{1,64}$/.test(input.hubspotFormGuid)) {
    throw new RelayError('invalid_request', 'The HubSpot form id must be the form GUID from its embed code.');
  }
  const {
    currency,
    amount,
    customAmount: custom,
    providers,
  } = checkFormSettings({
    currency: input.currency,
    amount: input.amount ?? null,
    customAmount: input.customAmount ?? null,
    providers: input.providers ?? ['stripe'],
  });
  const tenant = await Tenant.query(knex).findById(input.tenantId);
  if (!tenant) throw new RelayError('not_found', `No tenant ${input.tenantId}.`);
  return inTenantTransaction(
    knex,
    { tenantId: tenant.id, livemode: input.livemode ?? false },
    async (trx) => {
      const existing = await Form.query(trx)
        .where({ tenant_id: tenant.id, hubspot_form_guid: input.hubspotFormGuid })
        .first();
      if (existing)
        throw new RelayError(
          'conflict',
          `HubSpot form ${input.hubspotFormGuid} already has a configuration.`,
        );
      return Form.query(trx).insertAndFetch({
        tenantId: tenant.id,
        livemode: input.livemode ?? false,
        hubspotFormGuid: input.hubspotFormGuid,
        productName: input.productName,
        amount,
        currency,
        providers,
        customAmountMin: custom?.min ?? null,
        customAmountMax: custom?.max ?? null,
      });
    },
  );
}
