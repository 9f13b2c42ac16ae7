import { chownSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { RUN_AS_POSTGRES, runToEnd, spawnLogged, waitUntil, type Spawned } from './processes.js';
import { ZoneLink } from './zone-link.js';

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
  /** Whether the zone's node accepts writes (undefined: it does not answer). */
  writable(zone: ZoneName): Promise<boolean | undefined>;
  /** The zone's node alone, as the postgres user, reached directly (not through a ZoneLink). */
  nodeUrl(zone: ZoneName): string;
  /** kill -9 the zone's keeper and its PostgreSQL, as a data centre going dark would. */
  killZone(zone: ZoneName): Promise<void>;
  /**
   * Cuts the network between the zone's node and the rest of the cluster (the monitor and the other
   * node; see ZoneLink), as a partition would: the node keeps running, and the relays still reach it.
   */
  severZone(zone: ZoneName): void;
  healZone(zone: ZoneName): void;
  /** Each node's state as the monitor last heard it (`primary`, `secondary`, `wait_primary`, …). */
  nodeStates(): Promise<Record<string, string>>;
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
  // Each node is known to the others by its own loopback address (127.0.0.2 for zone A, 127.0.0.3
  // for zone B), where a ZoneLink forwards to the node, and reaches the monitor through a link of
  // its own: everything that crosses between zones crosses a link that a test can sever. The
  // relays connect to the nodes directly (127.0.0.1), as if they sat beside them.
  const links = new Map<ZoneName, ZoneLink[]>();
  const zoneHost = { zone_a: '127.0.0.2', zone_b: '127.0.0.3' } as const;
  const pgctl = ['--pgctl', path.join(bindir, 'pg_ctl')];
  const run = (name: string) =>
    running.set(
      name,
      spawnLogged(asPostgres(['run', '--pgdata', path.join(dir, name)]), {
        logFile: path.join(dir, `${name}.log`),
      }),
    );

  const monitorUrl = `postgres://postgres@127.0.0.1:${ports.monitor}/pg_auto_failover?sslmode=disable`;
  const closeLinks = async () => {
    for (const link of [...links.values()].flat()) await link.close();
  };
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
    await waitUntil('monitor up', () => query(monitorUrl, 'select 1').then(() => true));
    // Fast failure detection: these are the monitor's settings the production guide uses too.
    for (const line of settingsOf('monitor.conf')) await query(monitorUrl, `alter system set ${line}`);
    await query(monitorUrl, 'select pg_reload_conf()');

    for (const zone of ['zone_a', 'zone_b'] as const) {
      const local = { host: '127.0.0.1', port: ports[zone] };
      // Into the node (the monitor's health checks, the other node's replication): open connections
      // stall, as in a real partition, so the node's walsender notices only at wal_sender_timeout.
      // Out to the monitor: reset, as the keeper's monitor URI's tcp_user_timeout would (deploy.md).
      const toMonitor = await ZoneLink.start(
        { host: '127.0.0.1', port: 0 },
        { host: '127.0.0.1', port: ports.monitor },
        'reset',
      );
      const intoNode = await ZoneLink.start({ host: zoneHost[zone], port: ports[zone] }, local, 'stall');
      links.set(zone, [intoNode, toMonitor]);
      const monitorUri = `postgres://autoctl_node@127.0.0.1:${toMonitor.port}/pg_auto_failover?sslmode=disable`;
      await runToEnd(
        asPostgres([
          'create',
          'postgres',
          '--pgdata',
          path.join(dir, zone),
          '--pgport',
          String(ports[zone]),
          '--hostname',
          zoneHost[zone],
          '--listen',
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
      const node = `postgres://postgres@127.0.0.1:${ports[zone]}/postgres?sslmode=disable`;
      await waitUntil(`${zone} settings`, async () => {
        for (const line of settingsOf('node.conf')) await query(node, `alter system set ${line}`);
        await query(node, 'select pg_reload_conf()');
        return true;
      });
    }
    await waitUntil(
      'zone_a primary with zone_b',
      async () => (await nodeStates(monitorUrl))['zone_a'] === 'primary',
    );
  } catch (error) {
    await stopAll();
    await closeLinks();
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
    nodeUrl,
    async writable(zone) {
      const rows = await query(nodeUrl(zone), 'show transaction_read_only').catch(() => undefined);
      return rows ? rows[0]?.['transaction_read_only'] === 'off' : undefined;
    },
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
    severZone(zone) {
      for (const link of links.get(zone) ?? []) link.sever();
    },
    healZone(zone) {
      for (const link of links.get(zone) ?? []) link.heal();
    },
    nodeStates: () => nodeStates(monitorUrl),
    async synchronousStandbyNames(zone) {
      const rows = await query(nodeUrl(zone), 'show synchronous_standby_names');
      return String(rows[0]?.['synchronous_standby_names'] ?? '');
    },
    async stop(keep = false) {
      await stopAll();
      await closeLinks();
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
