/**
 * The PayPal path's own statements (the claim, status change and outbox are the shared ones in
 * payment-sql.ts). The payments benchmark's PayPal baseline sends these same texts.
 */
export const PAYPAL_SQL = {
  /** The order exists at PayPal: remember it and release the claim (the payer now approves it). */
  recordOrder: `update transactions set provider_order_id = $3, claimed_until = null, updated_at = now()
     where tenant_id = $1 and id = $2 returning *`,
  /** A PayPal payer is a contact too; a Stripe customer id the contact already has is kept. */
  upsertContact: `insert into contacts (tenant_id, livemode, email, first_name, last_name)
     values ($1, $2, $3, $4, $5)
     on conflict (tenant_id, livemode, email) do update set first_name = excluded.first_name,
       last_name = excluded.last_name, updated_at = now()
     returning *`,
  findByPayPalIds: `select * from transactions where tenant_id = $1 and provider = 'paypal'
     and (provider_payment_id = $2 or provider_order_id = $3 or id = $4) order by provider_payment_id is null
     limit 1`,
} as const;
