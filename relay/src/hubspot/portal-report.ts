import type { Knex } from 'knex';
import { inTenantTransaction, type TenantScope } from '../db/tenant-scope.js';
import type { FormCheck } from './form-check.js';
import type { PortalSettings } from './portal-settings.js';

/** What the merchant API (GET /v1/hubspot) tells a merchant about their portal. No tokens. */
export interface HubSpotReport {
  status: 'not_connected' | 'connected' | 'broken' | 'disconnected';
  portalId: number | null;
  /** Why nothing is sent (broken or disconnected), or null. */
  reason: string | null;
  pausedUntil: string | null;
  timeZone: string | null;
  currencies: string[];
  settingsReadAt: string | null;
  forms: Array<{
    formId: string;
    hubspotFormGuid: string;
    productName: string;
    checkedAt: string | null;
    missingFields: string[];
    problem: string | null;
  }>;
}

export async function readHubSpotReport(knex: Knex, scope: TenantScope): Promise<HubSpotReport> {
  return inTenantTransaction(knex, scope, async (trx) => {
    const connection = (await trx('hubspot_connections')
      .where({ tenant_id: scope.tenantId, livemode: scope.livemode })
      .first(
        'portal_id',
        'status',
        'broken_reason',
        'paused_until',
        'portal_settings',
        'portal_settings_read_at',
      )) as Record<string, unknown> | undefined;
    const forms = (await trx('forms')
      .where({ tenant_id: scope.tenantId, livemode: scope.livemode })
      .orderBy('created_at')
      .select('id', 'hubspot_form_guid', 'product_name', 'hubspot_form_check')) as Array<
      Record<string, unknown>
    >;
    const settings = (connection?.['portal_settings'] as PortalSettings | null) ?? null;
    const pausedUntil = connection?.['paused_until'] as Date | null | undefined;
    const readAt = connection?.['portal_settings_read_at'] as Date | null | undefined;
    return {
      status: (connection?.['status'] as HubSpotReport['status'] | undefined) ?? 'not_connected',
      portalId: connection ? Number(connection['portal_id']) : null,
      reason: (connection?.['broken_reason'] as string | null | undefined) ?? null,
      pausedUntil: pausedUntil && pausedUntil.getTime() > Date.now() ? pausedUntil.toISOString() : null,
      timeZone: settings?.timeZone ?? null,
      currencies: settings?.currencies ?? [],
      settingsReadAt: readAt ? new Date(readAt).toISOString() : null,
      forms: forms.map((form) => {
        const check = (form['hubspot_form_check'] as FormCheck | null) ?? null;
        return {
          formId: form['id'] as string,
          hubspotFormGuid: form['hubspot_form_guid'] as string,
          productName: form['product_name'] as string,
          checkedAt: check?.checkedAt ?? null,
          missingFields: check?.missingFields ?? [],
          problem: check?.problem ?? null,
        };
      }),
    };
  });
}
