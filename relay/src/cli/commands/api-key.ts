import { InvalidArgumentError } from 'commander';
import type { ApiKeyScope } from '@onepagepay/protocol';
import { API_KEY_SCOPES, createApiKey, listApiKeys, revokeApiKey } from '../../merchants/api-keys.js';
import { tenantUuid, uuidOf } from '../arguments.js';
import type { RegisterCommands } from '../cli-context.js';
import { CLI_ACTOR } from './user.js';

function scopes(value: string): ApiKeyScope[] {
  const list = value.split(',').map((entry) => entry.trim()) as ApiKeyScope[];
  if (list.length === 0 || list.some((entry) => !API_KEY_SCOPES.includes(entry))) {
    throw new InvalidArgumentError(`give one or more of ${API_KEY_SCOPES.join(',')}`);
  }
  return list;
}

export const registerApiKeyCommands: RegisterCommands = (program, context) => {
  const apiKey = program
    .command('api-key')
    .description("Manage a tenant's API keys (opp_test_... / opp_live_...)");
  apiKey
    .command('create')
    .description('Create a key and print its secret, once')
    .requiredOption('--tenant <uuid>', 'the tenant UUID', tenantUuid)
    .requiredOption('--scopes <list>', `comma-separated: ${API_KEY_SCOPES.join(',')}`, scopes)
    .option('--name <name>', 'a name to recognise the key by', 'CLI key')
    .option('--live', 'a live-mode key (real data); test mode otherwise', false)
    .action(async (options: { tenant: string; scopes: ApiKeyScope[]; name: string; live: boolean }) => {
      const created = await context.withDatabase(({ knex }) =>
        createApiKey(
          knex,
          { tenantId: options.tenant, livemode: options.live },
          { name: options.name, scopes: options.scopes, createdBy: null },
          CLI_ACTOR,
        ),
      );
      context.print(created.secret);
      context.print(`id ${created.id} (the secret above is shown only now)`);
    });
  apiKey
    .command('list')
    .description("List a tenant's keys of one mode (never their secrets)")
    .requiredOption('--tenant <uuid>', 'the tenant UUID', tenantUuid)
    .option('--live', 'live-mode keys', false)
    .option('--json', 'print a JSON array instead of text', false)
    .action(async (options: { tenant: string; live: boolean; json: boolean }) => {
      const keys = await context.withDatabase(({ knex }) =>
        listApiKeys(knex, { tenantId: options.tenant, livemode: options.live }),
      );
      if (options.json) return context.printJson(keys);
      for (const key of keys) {
        context.print(
          `${key.id}  ${key.prefix}…  ${key.scopes.join(',')}  ${key.name}  last used ${key.lastUsedAt ?? 'never'}  ${key.revokedAt ? `revoked ${key.revokedAt}` : 'active'}`,
        );
      }
    });
  apiKey
    .command('revoke')
    .description('Revoke a key: it stops working at once')
    .requiredOption('--tenant <uuid>', 'the tenant UUID', tenantUuid)
    .requiredOption(
      '--id <uuid>',
      'the key id (from api-key list)',
      uuidOf('the key id (see `api-key list`)'),
    )
    .option('--live', 'the key is a live-mode key', false)
    .action(async (options: { tenant: string; id: string; live: boolean }) => {
      const revoked = await context.withDatabase(({ knex }) =>
        revokeApiKey(knex, { tenantId: options.tenant, livemode: options.live }, options.id, CLI_ACTOR),
      );
      context.print(`revoked ${revoked.id} at ${revoked.revokedAt}`);
    });
};
