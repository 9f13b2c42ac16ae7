import { toMajorUnitString } from '@onepagepay/protocol';
import { Form } from '../../db/models/form.js';
import { PAYMENT_PROVIDERS } from '../../payments/providers/index.js';
import { createForm } from '../../tenants/create-form.js';
import { currencyCode, minorUnits, tenantUuid } from '../arguments.js';
import type { RegisterCommands } from '../cli-context.js';

export const registerFormCommands: RegisterCommands = (program, context) => {
  const form = program.command('form').description('Manage the payment configuration of HubSpot forms');
  form
    .command('create')
    .description('Configure the price and providers of one HubSpot form')
    .requiredOption('--tenant <uuid>', 'the tenant UUID', tenantUuid)
    .requiredOption(
      '--hubspot-form <guid>',
      'the HubSpot form GUID (data-form-id / formId in the embed code)',
    )
    .requiredOption('--product <name>', 'the product name payers and merchants see')
    .requiredOption('--currency <code>', 'ISO 4217 currency code, e.g. USD', currencyCode)
    .option('--amount <minor>', 'fixed price in minor units', minorUnits)
    .option('--min <minor>', 'payer-chosen amount: minimum in minor units', minorUnits)
    .option('--max <minor>', 'payer-chosen amount: maximum in minor units', minorUnits)
    .option(
      '--providers <list>',
      `comma-separated: ${PAYMENT_PROVIDERS.map((provider) => provider.name).join(',')}`,
      'stripe',
    )
    .option('--live', 'live mode (real money); test mode otherwise', false)
    .action(
      async (options: {
        tenant: string;
        hubspotForm: string;
        product: string;
        currency: string;
        amount?: number;
        min?: number;
        max?: number;
        providers: string;
        live: boolean;
      }) => {
        const created = await context.withDatabase(({ knex }) =>
          createForm(knex, {
            tenantId: options.tenant,
            hubspotFormGuid: options.hubspotForm,
            productName: options.product,
            currency: options.currency,
            amount: options.amount ?? null,
            customAmount:
              options.min !== undefined || options.max !== undefined
                ? { min: options.min ?? 0, max: options.max ?? 0 }
                : null,
            providers: options.providers.split(',').map((provider) => provider.trim()),
            livemode: options.live,
          }),
        );
        context.print(created.id);
      },
    );
  form
    .command('list')
    .description('List form configurations')
    .option('--tenant <uuid>', 'only this tenant', tenantUuid)
    .option('--json', 'print a JSON array instead of text', false)
    .action(async (options: { tenant?: string; json: boolean }) => {
      const forms = await context.withDatabase(({ knex }) => {
        const query = Form.query(knex).orderBy('created_at');
        return options.tenant ? query.where('tenant_id', options.tenant) : query;
      });
      if (options.json) {
        return context.printJson(
          forms.map((row) => ({
            id: row.id,
            tenantId: row.tenantId,
            livemode: row.livemode,
            hubspotFormGuid: row.hubspotFormGuid,
            productName: row.productName,
            amount: row.amount,
            currency: row.currency,
            customAmount: row.amount === null ? { min: row.customAmountMin, max: row.customAmountMax } : null,
            providers: row.providers,
          })),
        );
      }
      for (const row of forms) {
        const price =
          row.amount !== null
            ? `${toMajorUnitString(row.amount, row.currency)} ${row.currency}`
            : `${row.customAmountMin}-${row.customAmountMax} (minor) ${row.currency}`;
        context.print(
          `${row.tenantId}  ${row.hubspotFormGuid}  ${row.livemode ? 'live' : 'test'}  ${row.productName}  ${price}  ${row.providers.join(',')}`,
        );
      }
    });
};
