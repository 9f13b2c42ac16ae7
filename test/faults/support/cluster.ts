import { chownSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { RUN_AS_POSTGRES, runToEnd, spawnLogged, waitUntil, type Spawned } from './processes.js';

export type ZoneName = 'zone_a' | 'zone_b';

/**
 * PostgreSQL with pg_auto_failover on one machine: a monitor, a primary ("zone A") and a
 * synchronous standby ("zone B"), each its own `pg_autoctl run` process tree. The settings come
 * from deploy/pg_auto_failover/ (the same files the production guide uses).
 */
export interface Cluster {
  dir: string;
  ports: { monitor: number; zone_a: number; zone_b: number };
  /** `postgres://user@a,b/onepagepay?target_session_attrs=read-write`, as `pg_autoctl show uri` prints it. */
  url(user: string): string;
  /** The zone whose node the monitor reports as primary (read-write), if any. */
  primaryZone(): Promise<ZoneName | undefined>;
  /** kill -9 the zone's keeper and its PostgreSQL, as a data centre going dark would. */
  killZone(zone: ZoneName): Promise<void>;
  synchronousStandbyNames(zone: ZoneName): Promise<string>;
  /** Stops every node; removes the data and logs unless `keep`. */
  stop(keep?: boolean): Promise<void>;
}

const DATABASE = 'onepagepay';
const DEPLOY = path.resolve(import.meta.dirname, '../../../deploy/pg_auto_failover');

export async function startCluster(ports: Cluster['ports']): Promise<Cluster> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'onepagepay-faults-pg-'));
  if (RUN_AS_POSTGRES.length > 0) chownSync(dir, uidOf('postgres'), gidOf('postgres'));
  const bindir = postgresBindir();
  const env = {
    PATH: `${bindir}:${process.env.PATH}`,
    // pg_autoctl keeps its own state under XDG dirs: keep it inside the run's directory.
    XDG_CONFIG_HOME: path.join(dir, 'config'),
    XDG_DATA_HOME: path.join(dir, 'share'),
  };
  const asPostgres = (args: string[]) => [...RUN_AS_POSTGRES, 'env', ...envArgs(env), 'pg_autoctl', ...args];
  const running = new Map<string, Spawned>();
  const pgctl = ['--pgctl', path.join(bindir, 'pg_ctl')];
  const run = (name: string) =>
    running.set(
      name,
      spawnLogged(asPostgres(['run', '--pgdata', path.join(dir, name)]), {
        logFile: path.join(dir, `${name}.log`),
      }),
    );

  const stopAll = async () => {
    for (const name of ['zone_b', 'zone_a', 'monitor']) {
      const pgdata = path.join(dir, name);
      const postmaster = postmasterPid(pgdata);
      await runToEnd(asPostgres(['stop', '--pgdata', pgdata])).catch(() => undefined);
      await running.get(name)?.stop(15_000);
      if (postmaster) killPostmaster(postmaster, pgdata);
    }
  };
  try {
    await runToEnd(
      asPostgres([
        'create',
        'monitor',
        '--pgdata',
        path.join(dir, 'monitor'),
        '--pgport',
        String(ports.monitor),
        '--hostname',
        '127.0.0.1',
        '--auth',
        'trust',
        '--no-ssl',
        ...pgctl,
      ]),
    );
    run('monitor');
    const monitorUrl = `postgres://postgres@127.0.0.1:${ports.monitor}/pg_auto_failover?sslmode=disable`;
    await waitUntil('monitor up', () => query(monitorUrl, 'select 1').then(() => true));
    // Fast failure detection: these are the monitor's settings the production guide uses too.
    for (const line of settingsOf('monitor.conf')) await query(monitorUrl, `alter system set ${line}`);
    await query(monitorUrl, 'select pg_reload_conf()');

    const monitorUri = `postgres://autoctl_node@127.0.0.1:${ports.monitor}/pg_auto_failover?sslmode=disable`;
    for (const zone of ['zone_a', 'zone_b'] as const) {
      await runToEnd(
        asPostgres([
          'create',
          'postgres',
          '--pgdata',
          path.join(dir, zone),
          '--pgport',
          String(ports[zone]),
          '--hostname',
          '127.0.0.1',
          '--name',
          zone,
          '--dbname',
          DATABASE,
          '--auth',
          'trust',
          '--no-ssl',
          '--monitor',
          monitorUri,
          ...pgctl,
        ]),
      );
      for (const line of settingsOf('keeper.conf')) {
        const [key, value] = line.split(/\s*=\s*/) as [string, string];
        await runToEnd(asPostgres(['config', 'set', '--pgdata', path.join(dir, zone), key, value]));
      }
      run(zone);
      const wanted = zone === 'zone_a' ? 'single' : 'secondary';
      await waitUntil(
        `${zone} ${wanted}`,
        async () => (await nodeStates(monitorUrl))[zone] === wanted,
        120_000,
      );
    }
    await waitUntil(
      'zone_a primary with zone_b',
      async () => (await nodeStates(monitorUrl))['zone_a'] === 'primary',
    );
  } catch (error) {
    await stopAll();
    throw new Error(`pg_auto_failover did not start (logs in ${dir})`, { cause: error });
  }

  const nodeUrl = (zone: ZoneName) =>
    `postgres://postgres@127.0.0.1:${ports[zone]}/${DATABASE}?sslmode=disable`;
  return {
    dir,
    ports,
    url: (user) =>
      `postgres://${user}@127.0.0.1:${ports.zone_a},127.0.0.1:${ports.zone_b}/${DATABASE}` +
      '?target_session_attrs=read-write&sslmode=disable&connect_timeout=2',
    async primaryZone() {
      for (const zone of ['zone_a', 'zone_b'] as const) {
        const readOnly = await query(nodeUrl(zone), 'show transaction_read_only').catch(() => undefined);
        if (readOnly?.[0]?.['transaction_read_only'] === 'off') return zone;
      }
      return undefined;
    },
    async killZone(zone) {
      const postmaster = postmasterPid(path.join(dir, zone));
      await running.get(zone)?.killHard();
      // pg_autoctl starts PostgreSQL in a process group of its own.
      if (postmaster) killPostmaster(postmaster, path.join(dir, zone));
    },
    async synchronousStandbyNames(zone) {
      const rows = await query(nodeUrl(zone), 'show synchronous_standby_names');
      return String(rows[0]?.['synchronous_standby_names'] ?? '');
    },
    async stop(keep = false) {
      await stopAll();
      if (!keep) await rm(dir, { recursive: true, force: true });
    },
  };
}

function postmasterPid(pgdata: string): number | undefined {
  try {
    return Number(readFileSync(path.join(pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;
  } catch {
    return undefined;
  }
}

/** SIGKILL to the postmaster of `pgdata`, if that pid is still it (a stale pid may be reused). */
function killPostmaster(pid: number, pgdata: string): void {
  try {
    if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(pgdata)) return;
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

async function nodeStates(monitorUrl: string): Promise<Record<string, string>> {
  const rows = await query(monitorUrl, 'select nodename, reportedstate from pgautofailover.node');
  return Object.fromEntries(rows.map((row) => [row['nodename'], row['reportedstate']]));
}

async function query(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.query(text)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

/** `name = value` lines of a deploy/pg_auto_failover file, comments and blank lines left out. */
function settingsOf(file: string): string[] {
  return readFileSync(path.join(DEPLOY, file), 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);
}

/** postgresql-15-auto-failover's PostgreSQL, unless PG_BINDIR names another. */
function postgresBindir(): string {
  return process.env.PG_BINDIR ?? '/usr/lib/postgresql/15/bin';
}

function envArgs(env: Record<string, string>): string[] {
  return Object.entries(env).map(([key, value]) => `${key}=${value}`);
}

function uidOf(user: string): number {
  return Number(idField(user, 2));
}
function gidOf(user: string): number {
  return Number(idField(user, 3));
}
function idField(user: string, index: number): string {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${user}:`));
  if (!line) throw new Error(`no ${user} user: install postgresql-15-auto-failover (it creates one)`);
  return line.split(':')[index] as string;
}
