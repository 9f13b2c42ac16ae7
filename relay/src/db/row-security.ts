import type { Knex } from 'knex';

/** The role the relay's queries run as: it owns no table and cannot bypass row-level security. */
export const APP_ROLE = 'onepagepay_app';

/**
 * Creates the app role if this cluster has none yet. Roles are cluster-wide and several databases
 * (CI runs, tenants of a shared server) may race to create it, so a duplicate is not an error and
 * the role is never dropped; privileges are granted per database.
 */
export async function ensureAppRole(knex: Knex): Promise<void> {
  await knex.raw(`do $$
    begin
      if not exists (select from pg_roles where rolname = '${APP_ROLE}') then
        begin
          create role ${APP_ROLE} login nosuperuser nocreatedb nocreaterole noinherit nobypassrls;
        exception when duplicate_object or unique_violation then null;
        end;
      end if;
    end $$`);
  await knex.raw(`do $$ begin
      execute format('grant connect on database %I to ${APP_ROLE}', current_database());
    end $$`);
  await knex.raw(`grant usage on schema public to ${APP_ROLE}`);
}

/** Tables that carry tenant_id, found in the catalog so no later table can be forgotten. */
export async function tenantOwnedTables(knex: Knex): Promise<Array<{ table: string; livemode: boolean }>> {
  const rows = (await knex.raw(`
    select c.table_name as table,
           exists (select from information_schema.columns l
                   where l.table_schema = c.table_schema and l.table_name = c.table_name
                     and l.column_name = 'livemode') as livemode
      from information_schema.columns c
      join information_schema.tables t
        on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
     where c.table_schema = current_schema() and c.column_name = 'tenant_id'
     order by c.table_name`)) as { rows: Array<{ table: string; livemode: boolean }> };
  return rows.rows;
}

/** Tables where the mode is part of the wall: forms are read before the core knows their mode. */
const MODE_BLIND_TABLES = new Set([
  'forms',
  'merchant_users',
  'merchant_sessions',
  'merchant_recovery_codes',
]);

/** Tables the app may only append to and read. */
const APPEND_ONLY_TABLES = new Set(['audit_events']);

/**
 * Turns on forced row-level security for every tenant-owned table and grants the app role what
 * it needs. Idempotent: later migrations that add tenant tables call it again, and so does every
 * migration run, so a table added by any migration in any order is covered.
 *
 * The policy compares tenant_id with the transaction's `app.tenant_id`; with no tenant set it
 * matches nothing. Where a table has livemode, a transaction that also sets
 * `app.livemode_enforced = on` (the merchant API does) sees only rows of its own mode.
 */
export async function secureTenantTables(knex: Knex): Promise<string[]> {
  const tables = await tenantOwnedTables(knex);
  const secured: string[] = [];
  for (const { table, livemode } of tables) {
    const modeCheck =
      livemode && !MODE_BLIND_TABLES.has(table)
        ? ` and (coalesce(current_setting('app.livemode_enforced', true), '') <> 'on'
                 or livemode = nullif(current_setting('app.livemode', true), '')::boolean)`
        : '';
    const predicate = `tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid${modeCheck}`;
    await knex.raw(`alter table ?? enable row level security`, [table]);
    await knex.raw(`alter table ?? force row level security`, [table]);
    await knex.raw(`drop policy if exists tenant_isolation on ??`, [table]);
    await knex.raw(`create policy tenant_isolation on ?? using (${predicate}) with check (${predicate})`, [
      table,
    ]);
    // FORCE subjects the owner too; the owner (migrations, the operator CLI, the SECURITY DEFINER
    // lookups) passes through this explicit policy, never the app role.
    await knex.raw('drop policy if exists owner_maintenance on ??', [table]);
    await knex.raw('create policy owner_maintenance on ?? to current_user using (true) with check (true)', [
      table,
    ]);
    const privileges = APPEND_ONLY_TABLES.has(table) ? 'select, insert' : 'select, insert, update, delete';
    await knex.raw(`revoke all on ?? from ${APP_ROLE}`, [table]);
    await knex.raw(`grant ${privileges} on ?? to ${APP_ROLE}`, [table]);
    secured.push(table);
  }
  // Tables without tenant_id (tenants, migration bookkeeping) are not secrets of one tenant; the app
  // only reads tenants and creates one through onepagepay_create_tenant (migration 010).
  await knex.raw(`grant select on tenants to ${APP_ROLE}`);
  await knex.raw(`grant select on knex_migrations, knex_migrations_lock to ${APP_ROLE}`);
  await knex.raw(`grant usage, select on all sequences in schema public to ${APP_ROLE}`);
  return secured;
}

/**
 * True when some tenant table lacks forced RLS or the policy, so a migration run can repair it.
 * Read from pg_catalog, not information_schema.columns: every start runs it, and on PGlite the
 * information_schema view took 45 ms of a 2.7 s warm `npm start` (docs/benchmarks.md, "Start-up").
 */
export async function tenantTablesNeedSecuring(knex: Knex): Promise<boolean> {
  const result = (await knex.raw(`
    select count(*)::int as missing
      from pg_class k
      join pg_namespace n on n.oid = k.relnamespace and n.nspname = current_schema()
      join pg_attribute a on a.attrelid = k.oid and a.attname = 'tenant_id' and a.attnum > 0 and not a.attisdropped
     where k.relkind = 'r'
       and (not k.relforcerowsecurity
            or not exists (select from pg_policy p where p.polrelid = k.oid and p.polname = 'tenant_isolation'))`)) as {
    rows: Array<{ missing: number }>;
  };
  return (result.rows[0]?.missing ?? 0) > 0;
}
