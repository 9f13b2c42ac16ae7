import { InvalidArgumentError } from 'commander';
import { toMajorUnitString } from '@onepagepay/protocol';
import { Form } from '../../db/models/form.js';
import { createForm } from '../../tenants/create-form.js';
import type { RegisterCommands } from '../cli-context.js';

function minorUnits(value: string): number {
  if (!/^\d{1,8}$/.test(value)) {
    throw new InvalidArgumentError(
      'give a whole number in minor units, e.g. 1999 for $19.99 or 500 for ¥500',
    );
  }
  return Number(value);
}

export const registerFormCommands: RegisterCommands = (program, context) => {
  const form = program.command('form').description('Manage the payment configuration of HubSpot forms');
  form
    .command('create')
    .description('Configure the price and providers of one HubSpot form')
    .requiredOption('--tenant <uuid>', 'the tenant UUID')
    .requiredOption(
      '--hubspot-form <guid>',
      'the HubSpot form GUID (data-form-id / formId in the embed code)',
    )
    .requiredOption('--product <name>', 'the product name payers and merchants see')
    .requiredOption('--currency <code>', 'ISO 4217 currency code, e.g. USD')
    .option('--amount <minor>', 'fixed price in minor units', minorUnits)
    .option('--min <minor>', 'payer-chosen amount: minimum in minor units', minorUnits)
    .option('--max <minor>', 'payer-chosen amount: maximum in minor units', minorUnits)
    .option('--providers <list>', 'comma-separated: stripe,paypal', 'stripe')
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
    .option('--tenant <uuid>', 'only this tenant')
    .action(async (options: { tenant?: string }) => {
      const forms = await context.withDatabase(({ knex }) => {
        const query = Form.query(knex).orderBy('created_at');
        return options.tenant ? query.where('tenant_id', options.tenant) : query;
      });
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
