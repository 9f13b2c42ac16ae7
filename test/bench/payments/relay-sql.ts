import type pg from 'pg';
import { APP_ROLE } from '../../../relay/src/db/row-security.js';

/**
 * The database work the relay does for one successful payment of a new payer, statement for
 * statement (the text of relay/src/payments/transaction-store.ts and contacts.ts) and in the same
 * two transactions (relay/src/payments/create-payment.ts): the attempt claim with the contact
 * lookup, then the contact upsert, the status change and its outbox row.
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
  const claimed = await scope(async (client) => {
    const inserted = await client.query(
      `insert into transactions (tenant_id, livemode, form_id, attempt_id, request_fingerprint, amount, currency,
         product_name, provider, hutk, page_uri, status, claimed_until)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'processing', now() + interval '60000 milliseconds')
       on conflict (tenant_id, attempt_id) do nothing returning *`,
      [ids.tenantId, false, ids.formId, attemptId, 'f', 4900, 'USD', 'Workshop ticket', 'stripe', null, null],
    );
    await client.query(
      'select * from contacts where tenant_id = $1 and livemode = $2 and email = $3 limit 1',
      [ids.tenantId, false, email],
    );
    return inserted.rows[0] as { id: string };
  });
  await scope(async (client) => {
    const contact = await client.query(
      `insert into contacts (tenant_id, livemode, email, first_name, last_name, stripe_customer_id)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (tenant_id, livemode, email) do update set first_name = excluded.first_name,
         last_name = excluded.last_name, stripe_customer_id = excluded.stripe_customer_id, updated_at = now()
       returning *`,
      [ids.tenantId, false, email, 'Bench', 'Payer', 'cus_x'],
    );
    await client.query('select * from transactions where tenant_id = $1 and id = $2 limit 1 for update', [
      ids.tenantId,
      claimed.id,
    ]);
    await client.query(
      `update transactions set status = $3, claimed_until = null, updated_at = now(), provider_payment_id = $4,
         contact_id = $5 where tenant_id = $1 and id = $2 returning *`,
      [ids.tenantId, claimed.id, 'succeeded', `pi_${ids.id}`, contact.rows[0].id],
    );
    await client.query(
      `insert into outbox (tenant_id, livemode, topic, dedupe_key, transaction_id, payload)
       values ($1, $2, 'hubspot.transaction', $3, $4, $5)
       on conflict (tenant_id, dedupe_key) do nothing`,
      [
        ids.tenantId,
        false,
        `hubspot.transaction:${claimed.id}:succeeded:0`,
        claimed.id,
        '{"reason":"succeeded:0"}',
      ],
    );
  });
}
