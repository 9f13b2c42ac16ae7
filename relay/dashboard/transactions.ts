import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, money } from './api.js';
import { html } from './html.js';
import { RevenueChart } from './revenue-chart.js';
import type { Session } from './session.js';

interface Transaction {
  id: string;
  status: string;
  amount: number;
  amountRefunded: number;
  currency: string;
  productName: string;
  contactEmail: string | null;
  provider: string;
  providerPaymentId: string | null;
  hubspotSyncState: string | null;
  createdAt: string;
}
interface Page {
  data: Transaction[];
  hasMore: boolean;
  nextCursor: string | null;
}

const STATUSES = ['', 'succeeded', 'refunded', 'partially_refunded', 'failed', 'processing'];

/** Transactions, newest first, filtered, a page at a time (the API's keyset cursor). */
export function Transactions(props: { session: Session; announce: (message: string) => void }) {
  const [filters, setFilters] = useState({ status: '', email: '' });
  const [pages, setPages] = useState<Array<string | undefined>>([undefined]);
  const [page, setPage] = useState<Page | null>(null);
  const [selected, setSelected] = useState<Transaction | null>(null);
  const [refresh, setRefresh] = useState(0);
  const cursor = pages[pages.length - 1];
  const query = new URLSearchParams({ limit: '25' });
  if (filters.status) query.set('status', filters.status);
  if (filters.email) query.set('contact_email', filters.email);

  const load = async () => {
    const params = new URLSearchParams(query);
    if (cursor) params.set('cursor', cursor);
    try {
      const loaded = await api<Page>('GET', `/v1/transactions?${params}`);
      setPage(loaded);
      props.announce(`${loaded.data.length} transactions shown.`);
    } catch (caught) {
      props.announce(caught instanceof ApiError ? caught.message : 'Could not load transactions.');
    }
  };
  useEffect(() => {
    void load();
  }, [filters.status, filters.email, cursor]);

  const applyFilters = (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    setFilters({ status: String(data.get('status') ?? ''), email: String(data.get('email') ?? '').trim() });
    setPages([undefined]);
  };

  const act = async (path: string, body: unknown, done: string, headers: Record<string, string> = {}) => {
    try {
      await api('POST', path, body, headers);
      props.announce(done);
      setSelected(null);
      setRefresh(refresh + 1);
      await load();
    } catch (caught) {
      props.announce(caught instanceof ApiError ? caught.message : 'The action failed.');
    }
  };

  return html`
    <section aria-labelledby="transactions-title">
      <h2 id="transactions-title" tabindex="-1">Transactions</h2>
      <${RevenueChart} livemode=${props.session.livemode} refresh=${refresh} />
      <form class="filters" onSubmit=${applyFilters}>
        <label for="filter-status">Status</label>
        <select id="filter-status" name="status">
          ${STATUSES.map((status) => html`<option value=${status}>${status || 'any'}</option>`)}
        </select>
        <label for="filter-email">Payer email</label>
        <input id="filter-email" name="email" type="email" />
        <button type="submit">Filter</button>
        <a class="button" href=${`/v1/transactions.csv?${query}`} download>Export CSV</a>
      </form>
      <table>
        <caption class="visually-hidden">
          Transactions, newest first
        </caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Product</th>
            <th scope="col">Payer</th>
            <th scope="col">Amount</th>
            <th scope="col">Status</th>
            <th scope="col">HubSpot</th>
          </tr>
        </thead>
        <tbody>
          ${page?.data.map(
            (row) =>
              html`<tr>
                <td>${new Date(row.createdAt).toLocaleString()}</td>
                <td>
                  <button class="link" onClick=${() => setSelected(row)}>${row.productName}</button>
                </td>
                <td>${row.contactEmail ?? '—'}</td>
                <td>${money(row.amount, row.currency)}</td>
                <td>${row.status}</td>
                <td>${row.hubspotSyncState ?? '—'}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <nav aria-label="Pages" class="pager">
        <button disabled=${pages.length < 2} onClick=${() => setPages(pages.slice(0, -1))}>Newer</button>
        <button
          disabled=${!page?.hasMore}
          onClick=${() => page?.nextCursor && setPages([...pages, page.nextCursor])}
        >
          Older
        </button>
      </nav>
      ${
        selected &&
        html`<${Detail}
          transaction=${selected}
          session=${props.session}
          onRefund=${(amount: number) =>
            act(`/v1/transactions/${selected.id}/refunds`, { amount }, 'Refund made.', {
              // One key per click: a retried request of the same click is never a second refund.
              'idempotency-key': crypto.randomUUID(),
            })}
          onReplay=${() =>
            act(`/v1/merchant/transactions/${selected.id}/hubspot-replay`, {}, 'HubSpot sync queued again.')}
        />`
      }
    </section>
  `;
}

function Detail(props: {
  transaction: Transaction;
  session: Session;
  onRefund: (amount: number) => void;
  onReplay: () => void;
}) {
  const row = props.transaction;
  const refundable = row.amount - row.amountRefunded;
  const owner = props.session.user.role === 'owner';
  return html`
    <section aria-labelledby="detail-title" class="detail">
      <h3 id="detail-title" tabindex="-1">${row.productName}</h3>
      <dl>
        <dt>Transaction</dt>
        <dd>${row.id}</dd>
        <dt>Provider</dt>
        <dd>${row.provider} ${row.providerPaymentId ?? ''}</dd>
        <dt>Amount</dt>
        <dd>${money(row.amount, row.currency)} (refunded ${money(row.amountRefunded, row.currency)})</dd>
        <dt>HubSpot sync</dt>
        <dd>${row.hubspotSyncState ?? 'not synced'}</dd>
      </dl>
      ${
        owner &&
        refundable > 0 &&
        ['succeeded', 'partially_refunded'].includes(row.status) &&
        html`<button onClick=${() => props.onRefund(refundable)}>
          Refund ${money(refundable, row.currency)}
        </button>`
      }
      ${
        owner &&
        row.hubspotSyncState === 'failed' &&
        html`<button onClick=${props.onReplay}>Retry HubSpot sync</button>`
      }
    </section>
  `;
}
