import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import Koa from 'koa';
import knexFactory, { type Knex } from 'knex';
import { createLogger } from '../logger.js';
import { errorBoundary } from '../http/error-boundary.js';
import { isDatabaseUnavailable } from './database-unavailable.js';
import { openPostgres } from './open-database.js';
import { createHostSelector, parseHostList } from './primary-host.js';

describe('multi-host database URLs', function () {
  this.timeout(30_000);

  it('splits a libpq host list into one URL per host and keeps the other parameters', () => {
    const list = parseHostList(
      'postgres://app:s3cret@10.0.0.1:5432,[fd00::2]:6432,db-b/onepagepay?target_session_attrs=read-write&sslmode=require&connect_timeout=3',
    );
    assert.deepEqual(list, {
      urls: [
        'postgres://app:s3cret@10.0.0.1:5432/onepagepay?sslmode=require&connect_timeout=3',
        'postgres://app:s3cret@[fd00::2]:6432/onepagepay?sslmode=require&connect_timeout=3',
        'postgres://app:s3cret@db-b/onepagepay?sslmode=require&connect_timeout=3',
      ],
      targetSessionAttrs: 'read-write',
      connectTimeoutMs: 3000,
    });
    assert.equal(
      parseHostList('postgres://app@db:5432/onepagepay'),
      undefined,
      'one host: pg reads it itself',
    );
    assert.throws(
      () => parseHostList('postgres://a@h1,h2/db?target_session_attrs=standby-please'),
      /DATABASE_URL: target_session_attrs must be one of any, read-write, primary/,
    );
    assert.throws(
      () => parseHostList('postgres://a@h1,:5432/db', 'DATABASE_OWNER_URL'),
      /DATABASE_OWNER_URL must list hosts/,
    );
  });

  describe('on PostgreSQL', () => {
    let admin: Knex;
    let server: URL;
    let deadPort: number;
    const databaseName = `onepagepay_hosts_${randomBytes(4).toString('hex')}`;
    const readOnlyRole = `onepagepay_ro_${randomBytes(4).toString('hex')}`;

    before(async function () {
      if (!process.env.TEST_DATABASE_URL) return this.skip();
      server = new URL(process.env.TEST_DATABASE_URL);
      admin = knexFactory({ client: 'pg', connection: server.toString(), pool: { min: 0, max: 1 } });
      await admin.raw(`create database "${databaseName}"`);
      // A login whose sessions are read-only: what a standby (or a promoted one not yet released) answers.
      await admin.raw(`create role "${readOnlyRole}" login superuser`);
      await admin.raw(`alter role "${readOnlyRole}" set default_transaction_read_only = on`);
      deadPort = await closedPort();
    });
    after(async () => {
      if (!admin) return;
      await admin.raw(`drop database if exists "${databaseName}" with (force)`);
      await admin.raw(`drop role if exists "${readOnlyRole}"`);
      await admin.destroy();
    });

    const hostList = (user: string, attrs: string) =>
      `postgres://${user}@127.0.0.1:${deadPort},${server.host}/${databaseName}?target_session_attrs=${attrs}`;

    it('skips a host that refuses connections and keeps the next writable one', async () => {
      const select = createHostSelector(parseHostList(hostList(server.username, 'read-write'))!);
      assert.equal(await select(), `postgres://${server.username}@${server.host}/${databaseName}`);
    });

    it('refuses read-only sessions for read-write, naming each host and why', async () => {
      const list = parseHostList(hostList(readOnlyRole, 'read-write'))!;
      await assert.rejects(createHostSelector(list)(), (error: Error) => {
        assert.equal(error.name, 'NoPrimaryError');
        assert.match(error.message, new RegExp(`127.0.0.1:${deadPort}: .*ECONNREFUSED`));
        assert.match(error.message, new RegExp(`${server.host}: read-only`));
        assert.equal(isDatabaseUnavailable(error), true);
        return true;
      });
      // The same hosts with target_session_attrs=any take the read-only session.
      assert.match(
        await createHostSelector(parseHostList(hostList(readOnlyRole, 'any'))!)(),
        /onepagepay_ro_/,
      );
    });

    it('opens the pool on the live host and replaces a connection killed mid-query', async () => {
      const database = openPostgres(hostList(server.username, 'read-write'), { min: 0, max: 1 });
      try {
        const pidOf = async () =>
          ((await database.knex.raw('select pg_backend_pid() as pid')).rows[0] as { pid: number }).pid;
        const first = await pidOf();
        const sleeping = database.knex.raw('select pg_sleep(10)').then(
          () => undefined,
          (error: unknown) => error,
        );
        await waitFor(async () => {
          const { rows } = await admin.raw('select 1 from pg_stat_activity where pid = ? and query like ?', [
            first,
            '%pg_sleep%',
          ]);
          return rows.length === 1;
        });
        await admin.raw('select pg_terminate_backend(?)', [first]);
        const failure = await sleeping;
        assert.ok(failure, 'the query on the killed connection fails');
        assert.equal(isDatabaseUnavailable(failure), true, String(failure));
        const second = await pidOf();
        assert.notEqual(second, first, 'the pool dropped the broken connection and opened a new one');
      } finally {
        await database.close();
      }
    });

    it('answers 503 database_unavailable with Retry-After when the database cannot be reached', async () => {
      const database = openPostgres(
        `postgres://${server.username}@127.0.0.1:${deadPort},127.0.0.1:${await closedPort()}/${databaseName}?target_session_attrs=read-write`,
        { min: 0, max: 1 },
        { bindModels: false },
      );
      const app = new Koa();
      app.use(errorBoundary(createLogger({ level: 'silent' })));
      app.use(async (ctx) => {
        ctx.body = (await database.knex.raw('select 1 as one')).rows;
      });
      const listener = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => listener.once('listening', resolve));
      try {
        const { port } = listener.address() as net.AddressInfo;
        const response = await fetch(`http://127.0.0.1:${port}/`);
        assert.equal(response.status, 503);
        assert.equal(response.headers.get('retry-after'), '2');
        const body = (await response.json()) as { error: { code: string; message: string } };
        assert.equal(body.error.code, 'database_unavailable');
        assert.match(body.error.message, /same attempt id/);
      } finally {
        listener.close();
        await database.close();
      }
    });
  });
});

/** A port nothing listens on (bound once and released). */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 100; tries += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not met within 5 s');
}
