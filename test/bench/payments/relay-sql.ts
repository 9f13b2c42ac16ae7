import type pg from 'pg';
import { APP_ROLE } from '../../../relay/src/db/row-security.js';

/**
 * The database work the relay does for one successful payment of a new payer, statement for
 * statement and in the same two transactions (relay/src/payments/create-payment.ts): the attempt
 * claim with the contact lookup, then the contact upsert, the status change and its outbox row.
 * Tenant and form come from the relay's few-second cache, so they cost no query per payment. Like the
 * relay, each transaction runs as the app role, so row-level security is evaluated on both sides.
 */
export async function issueRelaySqlForOnePayment(
  pool: pg.Pool,
  ids: { tenantId: string; formId: string; index: number; id: string },
): Promise<void> {
  const scope = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query(
        `select set_config('app.tenant_id', $1, true), set_config('app.livemode', 'false', true),
                set_config('app.livemode_enforced', 'off', true), set_config('role', $2, true)`,
        [ids.tenantId, APP_ROLE],
      );
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
  };
  const email = `baseline${ids.index}@bench.example`;
  const attemptId = `baseline_${ids.id}`;
  await scope(async (client) => {
    await client.query(
      `insert into transactions (tenant_id, livemode, form_id, attempt_id, request_fingerprint, amount, currency, product_name, provider, status, claimed_until)
       values ($1, false, $2, $3, 'f', 4900, 'USD', 'Workshop ticket', 'stripe', 'processing', now() + interval '60 seconds')
       on conflict (tenant_id, attempt_id) do nothing returning *`,
      [ids.tenantId, ids.formId, attemptId],
    );
    await client.query(
      'select * from contacts where tenant_id = $1 and livemode = false and email = $2 limit 1',
      [ids.tenantId, email],
    );
  });
  await scope(async (client) => {
    const contact = await client.query(
      `insert into contacts (tenant_id, livemode, email, first_name, last_name, stripe_customer_id) values ($1, false, $2, 'Bench', 'Payer', 'cus_x')
       on conflict (tenant_id, livemode, email) do update set first_name = excluded.first_name returning *`,
      [ids.tenantId, email],
    );
    const row = await client.query(
      'select * from transactions where tenant_id = $1 and attempt_id = $2 limit 1 for update',
      [ids.tenantId, attemptId],
    );
    const id = row.rows[0].id as string;
    await client.query(
      `update transactions set status = 'succeeded', provider_payment_id = $3, contact_id = $4, claimed_until = null, updated_at = now()
       where tenant_id = $1 and id = $2 returning *`,
      [ids.tenantId, id, `pi_${ids.id}`, contact.rows[0].id],
    );
    await client.query(
      `insert into outbox (tenant_id, livemode, topic, dedupe_key, transaction_id, payload) values ($1, false, 'hubspot.transaction', $2, $3, '{}')
       on conflict (tenant_id, dedupe_key) do nothing`,
      [ids.tenantId, `bench:${id}`, id],
    );
  });
}
