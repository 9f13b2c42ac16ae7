import type { Knex } from 'knex';
import { Form } from '../db/models/form.js';
import { ownerConnectionOf } from '../db/owner-connection.js';
import { Tenant } from '../db/models/tenant.js';
import { inviteUser } from '../merchants/users.js';
import { createForm } from '../tenants/create-form.js';
import { createTenant } from '../tenants/create-tenant.js';

export const DEMO_TENANT_NAME = 'OnePagePay demo';
/** Fixed GUIDs so the demo page's embed code never changes between runs. */
export const DEMO_FORMS = {
  legacyV2: {
    guid: '0e7a5f1c-0000-4000-8000-00000000d002',
    product: 'Workshop ticket',
    amount: 4900,
    currency: 'USD',
  },
  v4: {
    guid: '0e7a5f1c-0000-4000-8000-00000000d004',
    product: 'Annual membership',
    amount: 12000,
    currency: 'USD',
  },
} as const;

/** Both demo forms offer the card and PayPal (each against its sandbox). */
export const DEMO_PROVIDERS = ['stripe', 'paypal'] as const;

/** Creates the demo tenant and its two test-mode forms once; later runs find and reuse them. */
export async function seedDemo(appKnex: Knex, origins: string[]): Promise<{ tenant: Tenant; forms: Form[] }> {
  // The app role may not write tenants (migration 010): seeding is an operator's job.
  const knex = ownerConnectionOf(appKnex);
  let tenant = await Tenant.query(knex).where({ name: DEMO_TENANT_NAME }).first();
  if (!tenant) {
    tenant = await createTenant(knex, { name: DEMO_TENANT_NAME, origins });
  } else {
    const merged = [...new Set([...tenant.allowedOrigins, ...origins])];
    if (merged.length !== tenant.allowedOrigins.length) {
      tenant = await Tenant.query(knex).patchAndFetchById(tenant.id, { allowedOrigins: merged });
    }
  }
  const forms: Form[] = [];
  for (const demo of Object.values(DEMO_FORMS)) {
    let existing = await Form.query(knex)
      .where({ tenant_id: tenant.id, hubspot_form_guid: demo.guid })
      .first();
    // Demo data from before PayPal: its forms take PayPal too now.
    if (existing && !existing.providers.includes('paypal')) {
      existing = await Form.query(knex).patchAndFetchById([tenant.id, existing.id], {
        providers: [...DEMO_PROVIDERS],
      });
    }
    forms.push(
      existing ??
        (await createForm(knex, {
          tenantId: tenant.id,
          hubspotFormGuid: demo.guid,
          productName: demo.product,
          amount: demo.amount,
          currency: demo.currency,
          providers: [...DEMO_PROVIDERS],
        })),
    );
  }
  return { tenant, forms };
}

/**
 * The demo tenant's owner, so `npm start` opens the dashboard with nothing typed into a CLI. Sandbox
 * only (start-demo.ts prints these credentials): a fixed password is fine where no money moves.
 */
export const DEMO_MERCHANT = { email: 'demo@example.com', password: 'sandbox-lantern-meadow-42' } as const;

export async function seedDemoMerchant(appKnex: Knex, tenantId: string): Promise<void> {
  const knex = ownerConnectionOf(appKnex);
  const existing = await knex('merchant_users').where({ email: DEMO_MERCHANT.email }).first('id');
  if (existing) return;
  await inviteUser(
    knex,
    { tenantId, ...DEMO_MERCHANT, role: 'owner' },
    { type: 'cli', id: null, ip: null, userAgent: 'npm start' },
  );
}
