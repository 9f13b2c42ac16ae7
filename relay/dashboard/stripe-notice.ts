import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { html } from './html.js';

interface StripeStatus {
  status: 'active' | 'disconnected';
  connectedAccountId: string | null;
  disconnectedAt: string | null;
}

/**
 * A warning on every page while the tenant's connected Stripe account has disconnected OnePagePay:
 * card payments are refused until it is connected again, which the merchant must hear about first.
 */
export function StripeNotice(props: { livemode: boolean }) {
  const [status, setStatus] = useState<StripeStatus | null>(null);
  useEffect(() => {
    // A failed read shows nothing: the pages themselves report an unreachable relay.
    api<StripeStatus>('GET', '/v1/merchant/stripe').then(setStatus, () => setStatus(null));
  }, [props.livemode]);
  if (status?.status !== 'disconnected') return null;
  return html`<section class="warning" aria-labelledby="stripe-notice-title">
    <h2 id="stripe-notice-title">Stripe is disconnected</h2>
    <p>
      Your Stripe account ${status.connectedAccountId} disconnected OnePagePay
      ${status.disconnectedAt ? ` on ${new Date(status.disconnectedAt).toLocaleDateString()}` : ''}: card
      payments are refused until it is connected again. Ask your OnePagePay operator to reconnect it.
    </p>
  </section>`;
}
