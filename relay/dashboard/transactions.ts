import { useState } from 'preact/hooks';
import { html } from './html.js';
import { useKeysetPages } from './keyset-pages.js';
import { RevenueChart } from './revenue-chart.js';
import type { Session } from './session.js';
import { TransactionTable, type Transaction } from './transaction-table.js';

const STATUSES = ['', 'succeeded', 'refunded', 'partially_refunded', 'failed', 'processing'];

/** Transactions, newest first, filtered, a page at a time (the API's keyset cursor). */
export function Transactions(props: { session: Session; announce: (message: string) => void }) {
  const [filters, setFilters] = useState({ status: '', email: '' });
  const { page, pager, restart, filterQuery } = useKeysetPages<Transaction>({
    path: '/v1/transactions',
    // The same filters for the list and the CSV export, so the file holds what the table shows.
    filters: { status: filters.status, contact_email: filters.email },
    noun: 'transactions',
    announce: props.announce,
    livemode: props.session.livemode,
  });

  const applyFilters = (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    setFilters({ status: String(data.get('status') ?? ''), email: String(data.get('email') ?? '').trim() });
    restart();
  };

  return html`
    <section aria-labelledby="transactions-title">
      <h2 id="transactions-title" tabindex="-1">Transactions</h2>
      <${RevenueChart} livemode=${props.session.livemode} />
      <form class="filters" onSubmit=${applyFilters}>
        <label for="filter-status">Status</label>
        <select id="filter-status" name="status">
          ${STATUSES.map((status) => html`<option value=${status}>${status || 'any'}</option>`)}
        </select>
        <label for="filter-email">Payer email</label>
        <input id="filter-email" name="email" type="email" />
        <button type="submit">Filter</button>
        <a class="button" href=${`/v1/transactions.csv?${filterQuery}`} download>Export CSV</a>
      </form>
      <${TransactionTable} rows=${page?.data ?? []} caption="Transactions, newest first" />
      ${pager}
    </section>
  `;
}
