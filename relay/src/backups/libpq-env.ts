/**
 * pg_dump and pg_restore get the connection through libpq's environment variables, not the
 * command line, so a password in DATABASE_URL never shows in the process list.
 */
export function libpqEnvironment(connectionString: string): NodeJS.ProcessEnv {
  const url = new URL(connectionString);
  const env: NodeJS.ProcessEnv = {
    PGHOST: decodeURIComponent(url.hostname.replace(/^\[|\]$/g, '')) || undefined,
    PGPORT: url.port || undefined,
    PGUSER: decodeURIComponent(url.username) || undefined,
    PGPASSWORD: decodeURIComponent(url.password) || undefined,
    PGDATABASE: decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined,
  };
  const params: Record<string, string> = {
    sslmode: 'PGSSLMODE',
    sslrootcert: 'PGSSLROOTCERT',
    sslcert: 'PGSSLCERT',
    sslkey: 'PGSSLKEY',
    target_session_attrs: 'PGTARGETSESSIONATTRS',
    connect_timeout: 'PGCONNECT_TIMEOUT',
    application_name: 'PGAPPNAME',
  };
  for (const [param, variable] of Object.entries(params)) {
    const value = url.searchParams.get(param);
    if (value !== null) env[variable] = value;
  }
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
}
