import { useEffect, useState } from 'preact/hooks';
import { api, decimalsOf, errorText, money } from './api.js';
import { html } from './html.js';
import type { Session } from './session.js';
import type { Transaction } from './transaction-table.js';

const REFUNDABLE = ['succeeded', 'partially_refunded'];

/**
 * One transaction: provider ids, status, HubSpot sync state; owners refund (all or part) and put a
 * dead-lettered HubSpot sync back in the queue.
 */
export function TransactionDetail(props: {
  id: string;
  session: Session;
  announce: (message: string) => void;
}) {
  const [row, setRow] = useState<Transaction | null>(null);
  // One key per intended refund: a retry after a lost answer repeats the key, so it is never a
  // second refund; a changed amount is a new intent with a new key.
  const [refundKey, setRefundKey] = useState(() => crypto.randomUUID());
  const owner = props.session.user.role === 'owner';

  const load = async () => {
    try {
      setRow(await api<Transaction>('GET', `/v1/transactions/${encodeURIComponent(props.id)}`));
    } catch (caught) {
      props.announce(errorText(caught));
    }
  };
  useEffect(() => {
    void load();
  }, [props.id, props.session.livemode]);

  // The same heading element before and after loading, so the focus put on it stays.
  if (!row)
    return html`<section class="detail">
      <p><a href="#/transactions">All transactions</a></p>
      <h2 tabindex="-1">Transaction</h2>
    </section>`;
  const refundable = row.amount - row.amountRefunded;
  const decimals = decimalsOf(row.currency);

  const refund = async (event: SubmitEvent) => {
    event.preventDefault();
    const typed = Number(new FormData(event.target as HTMLFormElement).get('amount'));
    const minor = Math.round(typed * 10 ** decimals);
    try {
      // No amount refunds what is left, as the API defines it.
      await api('POST', `/v1/transactions/${row.id}/refunds`, minor === refundable ? {} : { amount: minor }, {
        'idempotency-key': refundKey,
      });
      setRefundKey(crypto.randomUUID());
      props.announce(`Refunded ${money(minor, row.currency)}.`);
      await load();
    } catch (caught) {
      props.announce(errorText(caught));
    }
  };
  const replay = async () => {
    try {
      await api('POST', `/v1/merchant/transactions/${row.id}/hubspot-replay`);
      props.announce('HubSpot sync queued again.');
      await load();
    } catch (caught) {
      props.announce(errorText(caught));
    }
  };

  return html`
    <section aria-labelledby="detail-title" class="detail">
      <p><a href="#/transactions">All transactions</a></p>
      <h2 id="detail-title" tabindex="-1">${row.productName}</h2>
      <dl>
        <dt>Transaction</dt>
        <dd><code>${row.id}</code></dd>
        <dt>Status</dt>
        <dd>
          ${row.status}${row.failureCode ? ` (${row.failureCode}${row.declineCode ? `, ${row.declineCode}` : ''})` : ''}
        </dd>
        <dt>Amount</dt>
        <dd>${money(row.amount, row.currency)}, refunded ${money(row.amountRefunded, row.currency)}</dd>
        <dt>Provider</dt>
        <dd>${row.provider}</dd>
        <dt>Provider payment id</dt>
        <dd><code>${row.providerPaymentId ?? '—'}</code></dd>
        <dt>Payer</dt>
        <dd>
          ${row.contactId ? html`<a href=${`#/contacts/${row.contactId}`}>${row.contactEmail}</a>` : '—'}
        </dd>
        <dt>Paid on page</dt>
        <dd>${row.pageUri ?? '—'}</dd>
        <dt>Created</dt>
        <dd>${new Date(row.createdAt).toLocaleString()}</dd>
        <dt>HubSpot sync</dt>
        <dd>${row.hubspotSyncState ?? 'not synced'}</dd>
      </dl>
      ${
        owner &&
        row.hubspotSyncState === 'failed' &&
        html`<button onClick=${replay}>Retry HubSpot sync</button>`
      }
      ${
        owner &&
        refundable > 0 &&
        REFUNDABLE.includes(row.status) &&
        html`<form class="stack" onSubmit=${refund} aria-labelledby="refund-title">
          <h3 id="refund-title">Refund</h3>
          <label for="refund-amount"
            >Amount to refund (${row.currency}, up to ${money(refundable, row.currency)})</label
          >
          <input
            id="refund-amount"
            name="amount"
            type="number"
            required
            min=${1 / 10 ** decimals}
            max=${refundable / 10 ** decimals}
            step=${1 / 10 ** decimals}
            key=${refundable}
            defaultValue=${refundable / 10 ** decimals}
            onInput=${() => setRefundKey(crypto.randomUUID())}
          />
          <button type="submit">Refund</button>
        </form>`
      }
    </section>
  `;
}
