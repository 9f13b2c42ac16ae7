import { money } from './api.js';
import { html } from './html.js';

/** A transaction as GET /v1/transactions answers it (MerchantTransaction in the protocol). */
export interface Transaction {
  id: string;
  status: string;
  amount: number;
  amountRefunded: number;
  currency: string;
  productName: string;
  contactId: string | null;
  contactEmail: string | null;
  provider: string;
  providerPaymentId: string | null;
  failureCode: string | null;
  declineCode: string | null;
  hubspotSyncState: string | null;
  pageUri: string | null;
  createdAt: string;
}

/** Rows of transactions, each product a link to its detail page; shared by the list and a contact. */
export function TransactionTable(props: { rows: Transaction[]; caption: string }) {
  return html`
    <table>
      <caption class="visually-hidden">
        ${props.caption}
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
        ${props.rows.map(
          (row) =>
            html`<tr>
              <td>${new Date(row.createdAt).toLocaleString()}</td>
              <td><a href=${`#/transactions/${row.id}`}>${row.productName}</a></td>
              <td>${row.contactEmail ?? '—'}</td>
              <td>${money(row.amount, row.currency)}</td>
              <td>${row.status}</td>
              <td>${row.hubspotSyncState ?? '—'}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  `;
}
