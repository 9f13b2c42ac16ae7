import type { Knex } from 'knex';

/** One statement's share of a side's round, from pg_stat_statements. */
export interface StatementShare {
  query: string;
  callsPerPayment: number;
  meanExecUs: number;
  execUsPerPayment: number;
  sharedBlocksPerCall: number;
}

/**
 * `--statements=true`: what each statement cost a side, per payment, read from pg_stat_statements
 * (the server must load it: `shared_preload_libraries = 'pg_stat_statements'`). Reset before a
 * side runs, read after, so every statement the database ran meanwhile counts, the relay's
 * background work (workers, sweeps) included: that is what a side costs the database.
 */
export async function statementStats(knex: Knex): Promise<{
  reset(): Promise<void>;
  read(payments: number): Promise<StatementShare[]>;
}> {
  await knex.raw('create extension if not exists pg_stat_statements');
  const database = (
    await knex.raw<{ rows: Array<{ oid: number }> }>(
      'select oid from pg_database where datname = current_database()',
    )
  ).rows[0]!.oid;
  return {
    async reset() {
      await knex.raw('select pg_stat_statements_reset()');
    },
    async read(payments) {
      const { rows } = await knex.raw<{
        rows: Array<{ query: string; calls: string; total_exec_time: number; shared_blks: string }>;
      }>(
        `select query, calls, total_exec_time, shared_blks_hit + shared_blks_read as shared_blks
           from pg_stat_statements
          where dbid = ? and query not like '%pg_stat_statements%'
          order by total_exec_time desc`,
        [database],
      );
      return rows.map((row) => ({
        query: row.query.replaceAll(/\s+/g, ' ').slice(0, 110),
        callsPerPayment: Number(row.calls) / payments,
        meanExecUs: (row.total_exec_time * 1000) / Number(row.calls),
        execUsPerPayment: (row.total_exec_time * 1000) / payments,
        sharedBlocksPerCall: Number(row.shared_blks) / Number(row.calls),
      }));
    },
  };
}

export function printStatements(label: string, shares: StatementShare[]): void {
  const total = shares.reduce((sum, share) => sum + share.execUsPerPayment, 0);
  const calls = shares.reduce((sum, share) => sum + share.callsPerPayment, 0);
  console.log(`${label}: ${calls.toFixed(2)} statements and ${total.toFixed(0)} µs of execution per payment`);
  for (const share of shares.filter((s) => s.callsPerPayment >= 0.01))
    console.log(
      `  ${share.callsPerPayment.toFixed(2).padStart(6)}× ${share.meanExecUs.toFixed(0).padStart(5)} µs` +
        ` ${share.sharedBlocksPerCall.toFixed(0).padStart(4)} blks  ${share.query}`,
    );
}
