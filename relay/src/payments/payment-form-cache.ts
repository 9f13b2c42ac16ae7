import type { Knex } from 'knex';
import { Form } from '../db/models/form.js';
import { Tenant } from '../db/models/tenant.js';
import { inTenantTransaction } from '../db/tenant-scope.js';
import { isUuid } from '../ids.js';

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

export interface PaymentForm {
  tenant: Tenant;
  form: Form;
}

/**
 * Tenant and form configuration as the payment routes read it, cached for a few seconds per
 * process: every payer of a form needs the same two rows, and at payment rates they would otherwise
 * be most of the database round trips. A price or origin change takes effect within `ttlMs`.
 * Misses are cached too, so probing for ids costs the database nothing.
 */
export class PaymentFormCache {
  private readonly entries = new Map<string, { value: PaymentForm | null; expiresAt: number }>();

  constructor(
    private readonly knex: Knex,
    private readonly ttlMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  async find(tenantId: string, hubspotFormGuid: string): Promise<PaymentForm | null> {
    // No form id has control characters, and PostgreSQL refuses a NUL in text outright: not found.
    if (CONTROL_CHARACTER.test(hubspotFormGuid)) return null;
    const key = `${tenantId}/${hubspotFormGuid}`;
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > this.now()) return hit.value;
    const value = await this.load(tenantId, hubspotFormGuid);
    if (this.entries.size >= 10_000) this.entries.clear();
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
    return value;
  }

  /** Drops every cached entry, e.g. after the CLI or an admin route changed a form in this process. */
  clear(): void {
    this.entries.clear();
  }

  private async load(tenantId: string, hubspotFormGuid: string): Promise<PaymentForm | null> {
    if (!isUuid(tenantId)) return null;
    const tenant = await Tenant.query(this.knex).findById(tenantId);
    if (!tenant) return null;
    const form = await inTenantTransaction(this.knex, { tenantId, livemode: false }, (trx) =>
      Form.query(trx)
        .where({ tenant_id: tenantId, hubspot_form_guid: hubspotFormGuid, enabled: true })
        .first(),
    );
    return form ? { tenant, form } : null;
  }
}
