import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { APP_ROLE, tenantOwnedTables } from '../../relay/src/db/row-security.js';
import { inTenantModeTransaction, inTenantTransaction } from '../../relay/src/db/tenant-scope.js';
import type { Database } from '../../relay/src/db/open-database.js';
import { selectTransactions } from '../../relay/src/merchants/transaction-listing.js';
import { createTenant } from '../../relay/src/tenants/create-tenant.js';
import { createTestDatabase } from '../../relay/src/testing/test-database.js';
import { seedTransactions } from '../../relay/src/testing/merchant-fixtures.js';

const EXPECTED_DEFINER_FUNCTIONS = [
  'onepagepay_authenticate_api_key',
  'onepagepay_claim_hubspot_jobs',
  'onepagepay_create_tenant',
  // Maps one invitation token's hash to its tenant, before any session names it (migration 024).
  'onepagepay_invitation_tenant',
  'onepagepay_login_candidate',
  'onepagepay_outbox_stats',
  'onepagepay_session_tenant',
  'onepagepay_set_allowed_origins',
  // Writes the CAPTCHA keys of the tenant bound to the transaction only (migration 023).
  'onepagepay_set_challenge',
];

describe('row-level security: the second wall', function () {
  this.timeout(60_000);
  let database: Database;
  let app: Knex;
  const tenants: string[] = [];

  before(async () => {
    database = await createTestDatabase();
    app = database.app?.knex ?? database.knex;
    for (const name of ['Tenant A', 'Tenant B']) {
      const tenant = await createTenant(database.knex, { name, origins: [] });
      tenants.push(tenant.id);
      await seedTransactions(database.knex, tenant.id, { count: 3 });
      await seedTransactions(database.knex, tenant.id, { count: 2, livemode: true });
    }
  });
  after(async () => database?.close());

  it('forces RLS on every tenant table, for a role that owns none and cannot bypass it', async () => {
    const tables = await tenantOwnedTables(database.knex);
    assert.ok(tables.length >= 10, `tenant tables: ${tables.map((t) => t.table).join(', ')}`);
    for (const { table } of tables) {
      const row = (
        await database.knex.raw(
          `select c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner) as owner
             from pg_class c where c.relname = ? and c.relkind = 'r'`,
          [table],
        )
      ).rows[0];
      assert.equal(row.relrowsecurity, true, table);
      assert.equal(row.relforcerowsecurity, true, table);
      assert.notEqual(row.owner, APP_ROLE, table);
    }
    const role = (
      await database.knex.raw('select rolsuper, rolbypassrls from pg_roles where rolname = ?', [APP_ROLE])
    ).rows[0];
    assert.deepEqual(role, { rolsuper: false, rolbypassrls: false });
  });

  it('lets the app role call only the narrow cross-tenant lookups it needs', async () => {
    // Each SECURITY DEFINER function reads past row-level security: the list is kept short on purpose.
    const rows = (
      await database.knex.raw(
        `select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname = 'public' and p.prosecdef and has_function_privilege(?, p.oid, 'execute')
          order by p.proname`,
        [APP_ROLE],
      )
    ).rows as Array<{ proname: string }>;
    assert.deepEqual(
      rows.map((row) => row.proname),
      EXPECTED_DEFINER_FUNCTIONS,
    );
  });

  it('still shows only the bound tenant when the app forgets its tenant filter in one query', async () => {
    const [a, b] = tenants as [string, string];
    for (const livemode of [false, true]) {
      const scope = { tenantId: a, livemode };
      const rows = (await inTenantModeTransaction(app, scope, (trx) =>
        // The deliberate bug: the listing query without its `where tenant_id = ...`.
        selectTransactions(trx, scope, {}, { limit: 1000 }, { tenantFilter: false }).select('t.tenant_id'),
      )) as Array<{ tenant_id: string; livemode: boolean }>;
      assert.equal(rows.length, livemode ? 2 : 3);
      assert.ok(rows.every((row) => row.tenant_id === a && row.livemode === livemode));
    }
    // Worse: a bare select * of every tenant table, bound to tenant A, sees nothing of tenant B.
    const tables = await tenantOwnedTables(database.knex);
    await inTenantTransaction(app, { tenantId: a, livemode: false }, async (trx) => {
      for (const { table } of tables) {
        const foreign = await trx(table).whereNot('tenant_id', a).count({ n: '*' }).first();
        assert.equal(Number(foreign?.n), 0, table);
      }
    });
    // In the mode-enforcing transaction of the merchant API, live rows are hidden from a test scope.
    const live = await inTenantModeTransaction(app, { tenantId: b, livemode: false }, (trx) =>
      trx('transactions').where({ livemode: true }).count({ n: '*' }).first(),
    );
    assert.equal(Number(live?.n), 0);
  });

  it('shows nothing with no tenant bound, and refuses writes into another tenant', async () => {
    const [a, b] = tenants as [string, string];
    await app.transaction(async (trx) => {
      await trx.raw(`select set_config('role', ?, true)`, [APP_ROLE]);
      const all = await trx('transactions').count({ n: '*' }).first();
      assert.equal(Number(all?.n), 0);
    });
    const attempt = inTenantTransaction(app, { tenantId: a, livemode: false }, (trx) =>
      trx('audit_events').insert({ tenant_id: b, livemode: false, action: 'forged', actor_type: 'user' }),
    );
    await assert.rejects(attempt, /row-level security/);
    const moved = inTenantTransaction(app, { tenantId: a, livemode: false }, (trx) =>
      trx('transactions').where({ tenant_id: a }).update({ tenant_id: b }),
    );
    await assert.rejects(moved, /row-level security|violates foreign key/);
  });
});
