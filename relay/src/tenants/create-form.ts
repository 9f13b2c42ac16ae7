import type { Knex } from 'knex';
import { currencyExponent, isCurrencyCode, MAX_MINOR_AMOUNT } from '@onepagepay/protocol';
import { Form } from '../db/models/form.js';
import { Tenant } from '../db/models/tenant.js';
import { inTenantTransaction } from '../db/tenant-scope.js';
import { RelayError } from '../errors.js';
import { isUuid } from '../ids.js';

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

const PROVIDERS = new Set(['stripe', 'paypal']);

export async function createForm(knex: Knex, input: NewForm): Promise<Form> {
  // Everything is checked before the first query, so a malformed id never reaches a uuid cast.
  if (!isUuid(input.tenantId)) throw new RelayError('not_found', `No tenant ${input.tenantId}.`);
  const currency = input.currency.toUpperCase();
  if (!isCurrencyCode(currency))
    throw new RelayError('invalid_request', 'currency must be an ISO 4217 code such as USD.');
  if (!/^[A-Za-z0-9-]{1,64}$/.test(input.hubspotFormGuid)) {
    throw new RelayError('invalid_request', 'The HubSpot form id must be the form GUID from its embed code.');
  }
  const providers = input.providers ?? ['stripe'];
  if (providers.length === 0 || providers.some((provider) => !PROVIDERS.has(provider))) {
    throw new RelayError('invalid_request', 'providers must be one or more of: stripe, paypal.');
  }
  const amount = input.amount ?? null;
  const custom = input.customAmount ?? null;
  if ((amount === null) === (custom === null)) {
    throw new RelayError('invalid_request', 'Give either a fixed amount or a custom amount range, not both.');
  }
  for (const value of [amount, custom?.min, custom?.max]) {
    if (
      value !== null &&
      value !== undefined &&
      (!Number.isSafeInteger(value) || value <= 0 || value > MAX_MINOR_AMOUNT)
    ) {
      throw new RelayError(
        'invalid_request',
        `Amounts are whole numbers in the currency's minor unit (${currencyExponent(currency)} decimals for ${currency}), from 1 to ${MAX_MINOR_AMOUNT}.`,
      );
    }
  }
  if (custom && custom.max < custom.min)
    throw new RelayError('invalid_request', 'The custom amount max is below its min.');
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
