import type { Knex } from 'knex';
import { inTenantTransaction, type TenantScope } from '../db/tenant-scope.js';
import { classifyFailure } from './hubspot-failure.js';
import { LeaseLost } from './job-lease.js';
import type { HubSpotSession } from './hubspot-session.js';

/** The hidden fields the relay's fallback submission carries; HubSpot refuses them unless the form has them. */
export const HIDDEN_FIELDS = ['onepagepay_transaction_id', 'onepagepay_payment_status'] as const;

/** What the relay last read of a form's definition in HubSpot (forms.hubspot_form_check). */
export interface FormCheck {
  checkedAt: string;
  /** The form's fields as HubSpot defines them; empty when the form could not be read. */
  fields: Array<{ name: string; required: boolean }>;
  /** OnePagePay's hidden fields the form lacks: submissions leave them out and the merchant is told. */
  missingFields: string[];
  /** Why the form could not be read (no such form in the portal, no `forms` scope). */
  problem?: string;
}

/** Reads a form's definition (GET /marketing/v3/forms/{formId}) and says which hidden fields it lacks. */
export async function readFormCheck(
  session: HubSpotSession,
  formGuid: string,
  now: Date,
): Promise<FormCheck> {
  try {
    const form = await session.call((client) => client.marketing.forms.formsApi.getById(formGuid));
    const fields = form.fieldGroups.flatMap((group) =>
      (group.fields ?? []).map((field) => ({ name: field.name, required: field.required === true })),
    );
    return {
      checkedAt: now.toISOString(),
      fields,
      missingFields: HIDDEN_FIELDS.filter((name) => !fields.some((field) => field.name === name)),
    };
  } catch (error) {
    if (error instanceof LeaseLost) throw error;
    const failure = classifyFailure(error);
    // Only an answer about the form itself is a finding; an outage or a 429 is for the caller.
    if (failure.kind !== 'rejected') throw failure;
    return {
      checkedAt: now.toISOString(),
      fields: [],
      missingFields: [...HIDDEN_FIELDS],
      problem: `HubSpot could not read form ${formGuid} in portal ${session.connection.portalId}: ${failure.message}`,
    };
  }
}

/** Checks every form of the tenant in this mode (or only those never checked) and stores the findings. */
export async function checkTenantForms(
  knex: Knex,
  scope: TenantScope,
  session: HubSpotSession,
  now: Date,
  options: { onlyUnchecked?: boolean } = {},
): Promise<Map<string, FormCheck>> {
  const forms = (await inTenantTransaction(knex, scope, (trx) => {
    const query = trx('forms')
      .where({ tenant_id: scope.tenantId, livemode: scope.livemode })
      .select('id', 'hubspot_form_guid');
    return options.onlyUnchecked ? query.whereNull('hubspot_form_check') : query;
  })) as Array<{ id: string; hubspot_form_guid: string }>;
  const checks = new Map<string, FormCheck>();
  for (const form of forms) {
    const check =
      checks.get(form.hubspot_form_guid) ?? (await readFormCheck(session, form.hubspot_form_guid, now));
    checks.set(form.hubspot_form_guid, check);
    await inTenantTransaction(knex, scope, (trx) =>
      trx('forms')
        .where({ tenant_id: scope.tenantId, id: form.id })
        .update({ hubspot_form_check: JSON.stringify(check) }),
    );
  }
  return checks;
}

/** Stores a fresh reading of a form (every tenant form with that HubSpot GUID in this mode). */
export async function saveFormCheck(
  knex: Knex,
  scope: TenantScope,
  formGuid: string,
  check: FormCheck,
): Promise<void> {
  await inTenantTransaction(knex, scope, (trx) =>
    trx('forms')
      .where({ tenant_id: scope.tenantId, livemode: scope.livemode, hubspot_form_guid: formGuid })
      .update({ hubspot_form_check: JSON.stringify(check) }),
  );
}

/** One line per form for `hubspot status`: what the relay found, and what the merchant must add. */
export function describeFormCheck(formGuid: string, check: FormCheck | null): string {
  if (!check) return `form ${formGuid}: not checked yet (the worker reads it before its first submission)`;
  if (check.problem) return `form ${formGuid}: ${check.problem}`;
  if (check.missingFields.length === 0) return `form ${formGuid}: has the hidden fields`;
  return (
    `form ${formGuid}: lacks the hidden field${check.missingFields.length === 1 ? '' : 's'} ` +
    `${check.missingFields.join(', ')}; the relay's submissions leave ${check.missingFields.length === 1 ? 'it' : 'them'} out ` +
    'until the form has them (add them as hidden fields in HubSpot, then run `hubspot refresh`)'
  );
}
