import pg from 'pg';
import { ConfigError } from '../errors.js';

/** libpq's `target_session_attrs` values the relay understands. */
export type TargetSessionAttrs = 'any' | 'read-write' | 'primary';

export interface HostList {
  /** One single-host connection string per listed host, in the order given. */
  urls: string[];
  targetSessionAttrs: TargetSessionAttrs;
  /** How long to wait for one host before trying the next (libpq's `connect_timeout`, seconds). */
  connectTimeoutMs: number;
}

/** No listed host was reachable with the wanted session attributes (a failover is under way). */
export class NoPrimaryError extends Error {
  override readonly name = 'NoPrimaryError';
}

const URL_SHAPE = /^(postgres(?:ql)?:\/\/)(?:([^@/?#]*)@)?([^/?#]*)([^?#]*)(?:\?([^#]*))?$/;
const ATTRS: readonly TargetSessionAttrs[] = ['any', 'read-write', 'primary'];

/**
 * Reads a libpq multi-host URL, `postgres://user@host1:5432,host2:5432/db?target_session_attrs=read-write`,
 * which node-postgres does not parse (it keeps only the first host). Returns undefined for a URL
 * with one host and no `target_session_attrs`, which node-postgres takes as it is.
 */
export function parseHostList(connectionString: string, name = 'DATABASE_URL'): HostList | undefined {
  const match = URL_SHAPE.exec(connectionString);
  if (!match) return undefined;
  const [, scheme, userinfo, hostPart = '', path = '', query = ''] = match;
  const params = new URLSearchParams(query);
  const attrs = params.get('target_session_attrs');
  const hosts = hostPart.split(',');
  if (hosts.length < 2 && attrs === null) return undefined;
  if (attrs !== null && !ATTRS.includes(attrs as TargetSessionAttrs)) {
    throw new ConfigError(
      `${name}: target_session_attrs must be one of ${ATTRS.join(', ')}, got "${attrs}".`,
    );
  }
  if (hosts.some((host) => !/^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(:\d{1,5})?$/.test(host))) {
    throw new ConfigError(`${name} must list hosts as host:port,host:port, got "${hostPart}".`);
  }
  const timeout = Number(params.get('connect_timeout') ?? 5);
  params.delete('target_session_attrs');
  const rest = params.toString();
  return {
    urls: hosts.map(
      (host) =>
        `${scheme}${userinfo === undefined ? '' : `${userinfo}@`}${host}${path}${rest ? `?${rest}` : ''}`,
    ),
    targetSessionAttrs: (attrs ?? 'any') as TargetSessionAttrs,
    connectTimeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout * 1000 : 5000,
  };
}

/**
 * Returns a function that finds the host to open the next pool connection on, as libpq does with
 * `target_session_attrs`: try each host in turn and keep the first whose session answers as
 * wanted. The host that answered last is tried first next time, so a steady pool costs one probe
 * per new connection and a failover costs one refused or timed-out probe per dead host.
 */
export function createHostSelector(list: HostList): () => Promise<string> {
  let preferred = 0;
  return async () => {
    const failures: string[] = [];
    for (let step = 0; step < list.urls.length; step += 1) {
      const index = (preferred + step) % list.urls.length;
      const url = list.urls[index] as string;
      const verdict = await probeHost(url, list);
      if (verdict === 'ok') {
        preferred = index;
        return url;
      }
      failures.push(`${hostOf(url)}: ${verdict}`);
    }
    throw new NoPrimaryError(
      `No database host accepts ${list.targetSessionAttrs} sessions now (${failures.join('; ')}).`,
    );
  };
}

/** Opens one short session on the host and asks what libpq asks for `target_session_attrs`. */
async function probeHost(url: string, list: HostList): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: list.connectTimeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    if (list.targetSessionAttrs === 'any') return 'ok';
    const { rows } = await client.query<{ read_only: string; in_recovery: boolean }>(
      "select current_setting('transaction_read_only') as read_only, pg_is_in_recovery() as in_recovery",
    );
    const row = rows[0];
    if (list.targetSessionAttrs === 'primary') return row?.in_recovery ? 'in recovery' : 'ok';
    // A promoted standby stays read-only until the monitor confirms the old primary is gone.
    return row?.read_only === 'off' ? 'ok' : 'read-only';
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

function hostOf(url: string): string {
  return URL_SHAPE.exec(url)?.[3] ?? '?';
}
