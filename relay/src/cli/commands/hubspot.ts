import { InvalidArgumentError } from 'commander';
import { ConfigError } from '../../errors.js';
import { createHubSpotClientFactory } from '../../hubspot/client-factory.js';
import { systemClock } from '../../hubspot/clock.js';
import { preparePortal } from '../../hubspot/connect.js';
import { listConnections } from '../../hubspot/connection-store.js';
import { describeFormCheck, type FormCheck } from '../../hubspot/form-check.js';
import { buildConnectUrl, connectPrivateApp } from '../../hubspot/oauth.js';
import { backfillTransactions, replayDeadLetters } from '../../hubspot/requeue.js';
import { TokenCipher } from '../../hubspot/token-cipher.js';
import { createLogger } from '../../logger.js';
import { tenantUuid } from '../arguments.js';
import type { RegisterCommands } from '../cli-context.js';
import { progressBar } from '../progress-bar.js';

function since(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new InvalidArgumentError('give a date such as 2026-01-31 or an ISO timestamp');
  return date;
}

function portalId(value: string): number {
  if (!/^\d{1,12}$/.test(value))
    throw new InvalidArgumentError('give the HubSpot portal (hub) id, digits only');
  return Number(value);
}

export const registerHubSpotCommands: RegisterCommands = (program, context) => {
  const hubspot = program.command('hubspot').description('Connect HubSpot portals and manage the CRM sync');

  hubspot
    .command('connect-url')
    .description("Print the HubSpot install link for a tenant's portal admin (OAuth)")
    .requiredOption('--tenant <uuid>', 'the tenant UUID', tenantUuid)
    .option('--live', 'connect the portal for live-mode payments (default: test mode)', false)
    .action(async (options: { tenant: string; live: boolean }) => {
      await context.withDatabase(async (_database, config) => {
        const url = buildConnectUrl(
          { hubspot: config.hubspot, clock: systemClock },
          {
            tenantId: options.tenant,
            livemode: options.live,
          },
        );
        context.print(url.toString());
      });
    });

  hubspot
    .command('set-token')
    .description('Connect a portal with a private-app access token (read from HUBSPOT_PRIVATE_APP_TOKEN)')
    .requiredOption('--tenant <uuid>', 'the tenant UUID', tenantUuid)
    .requiredOption('--portal <id>', 'the HubSpot portal (hub) id', portalId)
    .option('--live', 'for live-mode payments (default: test mode)', false)
    .action(async (options: { tenant: string; portal: number; live: boolean }) => {
      const token = process.env.HUBSPOT_PRIVATE_APP_TOKEN ?? '';
      if (!/^pat-[a-z0-9]+-[0-9a-f-]{20,}$/i.test(token)) {
        throw new ConfigError(
          'set HUBSPOT_PRIVATE_APP_TOKEN to the private app token (pat-na1-...); it is never taken as an argument, so it stays out of shell history',
        );
      }
      const problem = await context.withDatabase(async ({ knex }, config) => {
        const cipher = new TokenCipher(config.encryptionKeys);
        const clientFactory = createHubSpotClientFactory(config.hubspot.apiBase);
        const scope = { tenantId: options.tenant, livemode: options.live };
        await connectPrivateApp({ knex, cipher, clientFactory }, scope, token, options.portal);
        const logger = createLogger({ level: 'silent' });
        return preparePortal({ knex, cipher, clientFactory, hubspot: config.hubspot, logger }, scope);
      });
      context.print(`connected portal ${options.portal} (${options.live ? 'live' : 'test'} mode)`);
      if (problem) context.print(`custom properties not created yet (the worker retries): ${problem}`);
    });

  hubspot
    .command('status')
    .description('Show each connection and how many transactions are in each sync state')
    .action(async () => {
      await context.withDatabase(async ({ knex }) => {
        const connections = await listConnections(knex);
        const counts = (await knex('transactions')
          .whereNotNull('hubspot_sync_state')
          .groupBy('tenant_id', 'livemode', 'hubspot_sync_state')
          .select('tenant_id', 'livemode', 'hubspot_sync_state as state')
          .count('* as count')) as Array<{
          tenant_id: string;
          livemode: boolean;
          state: string;
          count: string;
        }>;
        if (connections.length === 0) context.print('no HubSpot connections');
        for (const connection of connections) {
          const states = counts
            .filter((row) => row.tenant_id === connection.tenantId && row.livemode === connection.livemode)
            .map((row) => `${row.state}=${row.count}`)
            .join(' ');
          const expires = connection.accessTokenExpiresAt
            ? ` expires=${connection.accessTokenExpiresAt.toISOString()}`
            : '';
          const paused =
            connection.pausedUntil && connection.pausedUntil > new Date()
              ? ` paused-until=${connection.pausedUntil.toISOString()}`
              : '';
          const settings = connection.portalSettings
            ? `  tz=${connection.portalSettings.timeZone} currencies=${connection.portalSettings.currencies.join(',')}`
            : '  settings=not read yet';
          context.print(
            `${connection.tenantId}  ${connection.livemode ? 'live' : 'test'}  portal=${connection.portalId}  ` +
              `${connection.authKind}  ${connection.status}${connection.brokenReason ? ` (${connection.brokenReason})` : ''}` +
              `  key=${TokenCipher.keyIdOf(connection.accessToken)}${expires}${paused}${settings}  ${states || 'no transactions'}`,
          );
          const forms = (await knex('forms')
            .where({ tenant_id: connection.tenantId, livemode: connection.livemode })
            .orderBy('created_at')
            .select('hubspot_form_guid', 'hubspot_form_check')) as Array<{
            hubspot_form_guid: string;
            hubspot_form_check: FormCheck | null;
          }>;
          for (const form of forms) {
            context.print(`  ${describeFormCheck(form.hubspot_form_guid, form.hubspot_form_check)}`);
          }
        }
      });
    });

  hubspot
    .command('refresh')
    .description(
      "Read the portal's time zone, currencies, pipelines and form definitions again (after changing them in HubSpot)",
    )
    .requiredOption('--tenant <uuid>', 'the tenant UUID', tenantUuid)
    .option('--live', 'the live-mode connection (default: test mode)', false)
    .action(async (options: { tenant: string; live: boolean }) => {
      const problem = await context.withDatabase(async ({ knex }, config) => {
        const cipher = new TokenCipher(config.encryptionKeys);
        const clientFactory = createHubSpotClientFactory(config.hubspot.apiBase);
        const logger = createLogger({ level: 'silent' });
        const scope = { tenantId: options.tenant, livemode: options.live };
        return preparePortal({ knex, cipher, clientFactory, hubspot: config.hubspot, logger }, scope);
      });
      if (problem) throw new ConfigError(`HubSpot could not be read: ${problem}`);
      context.print('read the portal settings and forms again; see `hubspot status`');
    });

  hubspot
    .command('replay')
    .description('Re-queue dead-lettered HubSpot jobs with a fresh attempt budget')
    .option('--tenant <uuid>', 'only this tenant', tenantUuid)
    .option('--since <date>', 'only jobs created since this date', since)
    .action(async (options: { tenant?: string; since?: Date }) => {
      const bar = progressBar('replay');
      const count = await context.withDatabase(({ knex }) =>
        replayDeadLetters(knex, { ...pick(options) }, (done, total) => bar.update(done, total)),
      );
      bar.stop();
      context.print(`re-queued ${count} dead letter${count === 1 ? '' : 's'}`);
    });

  hubspot
    .command('backfill')
    .description('Queue a HubSpot push for paid transactions that are not synced (or all of them with --all)')
    .option('--tenant <uuid>', 'only this tenant', tenantUuid)
    .option('--since <date>', 'only transactions created since this date', since)
    .option('--all', 'also re-push transactions already synced', false)
    .action(async (options: { tenant?: string; since?: Date; all: boolean }) => {
      const bar = progressBar('backfill');
      const count = await context.withDatabase(({ knex }) =>
        backfillTransactions(
          knex,
          { ...pick(options), all: options.all, runId: new Date().toISOString() },
          (done, total) => bar.update(done, total),
        ),
      );
      bar.stop();
      context.print(`queued ${count} transaction${count === 1 ? '' : 's'} for HubSpot`);
    });
};

function pick(options: { tenant?: string; since?: Date }) {
  return {
    ...(options.tenant ? { tenantId: options.tenant } : {}),
    ...(options.since ? { since: options.since } : {}),
  };
}
