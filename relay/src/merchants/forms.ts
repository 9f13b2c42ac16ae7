import type { Knex } from 'knex';
import type { CreateFormRequest, MerchantForm, UpdateFormRequest } from '@onepagepay/protocol';
import { Form } from '../db/models/form.js';
import { inTenantModeTransaction, type TenantScope } from '../db/tenant-scope.js';
import { notFound, RelayError } from '../errors.js';
import { isUuid } from '../ids.js';
import { checkFormSettings } from '../tenants/form-settings.js';
import { recordAuditEvent, type Actor } from './audit.js';

/** A tenant has a handful of forms; more than this is a script, not a merchant. */
export const MAX_FORMS_PER_MODE = 200;

export function presentForm(form: Form): MerchantForm {
  return {
    id: form.id,
    livemode: form.livemode,
    hubspotFormGuid: form.hubspotFormGuid,
    productName: form.productName,
    amount: form.amount,
    customAmount:
      form.customAmountMin !== null && form.customAmountMax !== null
        ? { min: form.customAmountMin, max: form.customAmountMax }
        : null,
    currency: form.currency,
    providers: form.providers as MerchantForm['providers'],
    enabled: form.enabled,
    createdAt: new Date(form.createdAt).toISOString(),
    updatedAt: new Date(form.updatedAt).toISOString(),
  };
}

export async function listForms(knex: Knex, scope: TenantScope): Promise<MerchantForm[]> {
  const rows = await inTenantModeTransaction(knex, scope, (trx) =>
    Form.query(trx)
      .where({ tenant_id: scope.tenantId, livemode: scope.livemode })
      .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }])
      .limit(MAX_FORMS_PER_MODE),
  );
  return rows.map(presentForm);
}

/** Creates a form in the session's mode; a HubSpot form GUID has one configuration per tenant. */
export async function createMerchantForm(
  knex: Knex,
  scope: TenantScope,
  input: CreateFormRequest,
  actor: Actor,
): Promise<MerchantForm> {
  const settings = checkFormSettings({
    currency: input.currency,
    amount: input.amount ?? null,
    customAmount: input.customAmount ?? null,
    providers: input.providers ?? ['stripe'],
  });
  try {
    return await inTenantModeTransaction(knex, scope, async (trx) => {
      const [{ count } = { count: 0 }] = (await trx('forms')
        .where({ tenant_id: scope.tenantId, livemode: scope.livemode })
        .count('* as count')) as Array<{ count: string | number }>;
      if (Number(count) >= MAX_FORMS_PER_MODE) {
        throw new RelayError('conflict', `A tenant has at most ${MAX_FORMS_PER_MODE} forms per mode.`);
      }
      const form = await Form.query(trx).insertAndFetch({
        tenantId: scope.tenantId,
        livemode: scope.livemode,
        hubspotFormGuid: input.hubspotFormGuid,
        productName: input.productName.trim(),
        amount: settings.amount,
        currency: settings.currency,
        providers: settings.providers,
        customAmountMin: settings.customAmount?.min ?? null,
        customAmountMax: settings.customAmount?.max ?? null,
        enabled: input.enabled ?? true,
      });
      await recordAuditEvent(trx, scope, actor, {
        action: 'form.created',
        target: form.id,
        details: { hubspotFormGuid: form.hubspotFormGuid },
      });
      return presentForm(form);
    });
  } catch (error) {
    // The GUID is unique per tenant across both modes, so the other mode's form (hidden from this
    // transaction) shows up only as the constraint.
    const { code, nativeError } = error as { code?: string; nativeError?: { code?: string } };
    if (code === '23505' || nativeError?.code === '23505') {
      throw new RelayError(
        'conflict',
        `HubSpot form ${input.hubspotFormGuid} already has a configuration (in test or live mode).`,
      );
    }
    throw error;
  }
}

/** Changes what is given and re-checks the whole price; the change reaches payers within seconds. */
export async function updateMerchantForm(
  knex: Knex,
  scope: TenantScope,
  id: string,
  input: UpdateFormRequest,
  actor: Actor,
): Promise<MerchantForm> {
  if (!isUuid(id)) throw notFound();
  return inTenantModeTransaction(knex, scope, async (trx) => {
    const form = await Form.query(trx)
      .where({ tenant_id: scope.tenantId, livemode: scope.livemode, id })
      .forUpdate()
      .first();
    if (!form) throw notFound();
    const current = presentForm(form);
    const settings = checkFormSettings({
      currency: input.currency ?? current.currency,
      amount: input.amount !== undefined ? input.amount : current.amount,
      customAmount: input.customAmount !== undefined ? input.customAmount : current.customAmount,
      providers: input.providers ?? current.providers,
    });
    const updated = await Form.query(trx).patchAndFetchById([scope.tenantId, id], {
      productName: input.productName?.trim() ?? form.productName,
      amount: settings.amount,
      currency: settings.currency,
      providers: settings.providers,
      customAmountMin: settings.customAmount?.min ?? null,
      customAmountMax: settings.customAmount?.max ?? null,
      enabled: input.enabled ?? form.enabled,
      updatedAt: new Date(),
    });
    await recordAuditEvent(trx, scope, actor, {
      action: 'form.updated',
      target: id,
      details: { changed: Object.keys(input).sort() },
    });
    return presentForm(updated);
  });
}
