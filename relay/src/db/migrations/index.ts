import type { Knex } from 'knex';
import { ownerConnectionOf } from '../owner-connection.js';
import { secureTenantTables, tenantTablesNeedSecuring } from '../row-security.js';
import * as coreSchema from './001-core-schema.js';
import * as hubspotSync from './002-hubspot-sync.js';
import * as merchantAccess from './003-merchant-access.js';
import * as rowLevelSecurity from './004-row-level-security.js';
import * as merchantKeyAuth from './005-merchant-key-auth.js';
import * as dropUnusedDefinerFunctions from './006-drop-unused-definer-functions.js';
import * as loginThrottle from './007-login-throttle.js';
import * as markPendingInStatement from './008-mark-pending-in-statement.js';
import * as merchantSignups from './009-merchant-signups.js';
import * as tenantsReadOnlyOAuthStates from './010-tenants-read-only-oauth-states.js';
import * as contactProviderCustomers from './011-contact-provider-customers.js';
import * as paypal from './012-paypal.js';
import * as submittedEmail from './015-submitted-email.js';
import * as outboxStats from './016-outbox-stats.js';
import * as cardTesting from './018-card-testing.js';
import * as hubspotPortalSettings from './019-hubspot-portal-settings.js';
import * as merchantSelfService from './021-merchant-self-service.js';
import * as stripeDeauthorizedAccounts from './022-stripe-deauthorized-accounts.js';
import * as tenantChallengeKeys from './023-tenant-challenge-keys.js';
import * as merchantInvitations from './024-merchant-invitations.js';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Migrations are imported modules, not files discovered at run time, so they work the same from
 * TypeScript source, compiled output and a bundled CLI. Append; never reorder or rename.
 */
export const MIGRATIONS: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['001-core-schema', coreSchema],
  ['002-hubspot-sync', hubspotSync],
  ['003-merchant-access', merchantAccess],
  ['004-row-level-security', rowLevelSecurity],
  ['005-merchant-key-auth', merchantKeyAuth],
  ['006-drop-unused-definer-functions', dropUnusedDefinerFunctions],
  ['007-login-throttle', loginThrottle],
  ['008-mark-pending-in-statement', markPendingInStatement],
  ['009-merchant-signups', merchantSignups],
  ['010-tenants-read-only-oauth-states', tenantsReadOnlyOAuthStates],
  ['011-contact-provider-customers', contactProviderCustomers],
  ['012-paypal', paypal],
  ['015-submitted-email', submittedEmail],
  ['016-outbox-stats', outboxStats],
  ['018-card-testing', cardTesting],
  ['019-hubspot-portal-settings', hubspotPortalSettings],
  ['021-merchant-self-service', merchantSelfService],
  ['022-stripe-deauthorized-accounts', stripeDeauthorizedAccounts],
  ['023-tenant-challenge-keys', tenantChallengeKeys],
  ['024-merchant-invitations', merchantInvitations],
];

const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => MIGRATIONS.map(([name]) => name),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const found = MIGRATIONS.find(([candidate]) => candidate === name);
    if (!found) throw new Error(`Unknown migration ${name}`);
    return found[1];
  },
};

const MIGRATION_CONFIG: Knex.MigratorConfig = { migrationSource, tableName: 'knex_migrations' };

/**
 * Applies pending migrations as the schema owner (the owner connection registered for `knex`, if
 * any), then makes sure every tenant-owned table has forced row-level security, whichever
 * migration added it and in whatever order migrations were appended.
 */
export async function migrateToLatest(knex: Knex): Promise<string[]> {
  const owner = ownerConnectionOf(knex);
  let recorded = await recordedMigrations(owner);
  let applied: string[] = [];
  // knex's migrator takes its lock and reads the catalog through information_schema (about ten
  // statements); a start with nothing to apply, the usual one, needs neither.
  if (!matchesKnown(recorded)) {
    [, applied] = (await owner.migrate.latest(MIGRATION_CONFIG)) as [number, string[]];
    recorded = await recordedMigrations(owner);
  }
  if (recorded.has('004-row-level-security') && (await tenantTablesNeedSecuring(owner))) {
    await secureTenantTables(owner);
  }
  return applied;
}

/** True when every known migration has run: /readyz reports not-ready otherwise. */
export async function migrationsAreCurrent(knex: Knex): Promise<boolean> {
  if (matchesKnown(await recordedMigrations(knex))) return true;
  const [, pending] = (await knex.migrate.list(MIGRATION_CONFIG)) as [unknown[], unknown[]];
  return pending.length === 0;
}

/** The migrations the database has recorded, read without a lock (none before the first run). */
async function recordedMigrations(knex: Knex): Promise<Set<string>> {
  const { rows } = (await knex.raw(`select to_regclass('knex_migrations') is not null as present`)) as {
    rows: Array<{ present: boolean }>;
  };
  if (!rows[0]?.present) return new Set();
  return new Set(
    ((await knex('knex_migrations').select('name')) as Array<{ name: string }>).map((row) => row.name),
  );
}

/**
 * True when the database has recorded exactly the migrations this relay knows. Anything else (a
 * migration pending, one recorded that this relay does not know, no bookkeeping table yet) is left
 * to knex's migrator, which decides as it always has: it applies what is pending and refuses a
 * database migrated by a newer relay.
 */
function matchesKnown(recorded: Set<string>): boolean {
  return recorded.size === MIGRATIONS.length && MIGRATIONS.every(([name]) => recorded.has(name));
}
