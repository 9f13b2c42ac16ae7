import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText } from './api.js';
import { html } from './html.js';
import { RevenueChart } from './revenue-chart.js';
import type { Session } from './session.js';
import { TransactionTable, type Transaction } from './transaction-table.js';

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
  const cursor = pages[pages.length - 1];
  // Only a search or page turn the user asked for is announced: a first load or a mode switch
  // would talk over the focused heading and the switch's own message.
  const asked = useRef(false);
  // Counts the user's requests, so the same search asked again loads again.
  const [requests, setRequests] = useState(0);
  const turnTo = (next: Array<string | undefined>) => {
    asked.current = true;
    setRequests(requests + 1);
    setPages(next);
  };
  // The same filters for the list and the CSV export, so the file holds what the table shows.
  const filterQuery = new URLSearchParams();
  if (filters.status) filterQuery.set('status', filters.status);
  if (filters.email) filterQuery.set('contact_email', filters.email);

  useEffect(() => {
    const params = new URLSearchParams(filterQuery);
    params.set('limit', '25');
    if (cursor) params.set('cursor', cursor);
    api<Page>('GET', `/v1/transactions?${params}`).then(
      (loaded) => {
        setPage(loaded);
        if (asked.current) props.announce(`${loaded.data.length} transactions shown.`);
        asked.current = false;
      },
      (caught: unknown) => props.announce(errorText(caught)),
    );
  }, [filters.status, filters.email, cursor, requests, props.session.livemode]);

  const applyFilters = (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    setFilters({ status: String(data.get('status') ?? ''), email: String(data.get('email') ?? '').trim() });
    turnTo([undefined]);
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
      <nav aria-label="Pages" class="pager">
        <button disabled=${pages.length < 2} onClick=${() => turnTo(pages.slice(0, -1))}>Newer</button>
        <button
          disabled=${!page?.hasMore}
          onClick=${() => page?.nextCursor && turnTo([...pages, page.nextCursor])}
        >
          Older
        </button>
      </nav>
    </section>
  `;
}
