import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from './api.js';
import { html } from './html.js';
import { useKeysetPages } from './keyset-pages.js';
import type { Session } from './session.js';
import { TransactionTable, type Transaction } from './transaction-table.js';

interface Contact {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  createdAt: string;
}
/** Payers of the session's mode, newest first, findable by email, a page at a time. */
export function Contacts(props: { session: Session; announce: (message: string) => void }) {
  const [email, setEmail] = useState('');
  const { page, pager, restart } = useKeysetPages<Contact>({
    path: '/v1/contacts',
    filters: { email },
    noun: 'contacts',
    announce: props.announce,
    livemode: props.session.livemode,
  });

  const search = (event: SubmitEvent) => {
    event.preventDefault();
    setEmail(String(new FormData(event.target as HTMLFormElement).get('email') ?? '').trim());
    restart();
  };

  return html`
    <section aria-labelledby="contacts-title">
      <h2 id="contacts-title" tabindex="-1">Contacts</h2>
      <form class="filters" onSubmit=${search}>
        <label for="contact-email">Email</label>
        <input id="contact-email" name="email" type="email" />
        <button type="submit">Find</button>
      </form>
      <table>
        <caption class="visually-hidden">
          Contacts, newest first
        </caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">First seen</th>
          </tr>
        </thead>
        <tbody>
          ${page?.data.map(
            (contact) =>
              html`<tr>
                <td><a href=${`#/contacts/${contact.id}`}>${contact.firstName} ${contact.lastName}</a></td>
                <td>${contact.email}</td>
                <td>${new Date(contact.createdAt).toLocaleString()}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${pager}
    </section>
  `;
}

/** One contact and its transactions (the API sends up to 99, newest first). */
export function ContactDetail(props: { id: string; session: Session; announce: (message: string) => void }) {
  const [contact, setContact] = useState<(Contact & { transactions: Transaction[] }) | null>(null);
  useEffect(() => {
    api<Contact & { transactions: Transaction[] }>(
      'GET',
      `/v1/contacts/${encodeURIComponent(props.id)}`,
    ).then(setContact, (caught: unknown) => props.announce(errorText(caught)));
  }, [props.id, props.session.livemode]);
  // The same heading element before and after loading, so the focus put on it stays.
  if (!contact)
    return html`<section>
      <p><a href="#/contacts">All contacts</a></p>
      <h2 tabindex="-1">Contact</h2>
    </section>`;
  return html`
    <section aria-labelledby="contact-title">
      <p><a href="#/contacts">All contacts</a></p>
      <h2 id="contact-title" tabindex="-1">${contact.firstName} ${contact.lastName}</h2>
      <dl>
        <dt>Email</dt>
        <dd>${contact.email}</dd>
        <dt>First seen</dt>
        <dd>${new Date(contact.createdAt).toLocaleString()}</dd>
      </dl>
      <h3>Transactions</h3>
      <${TransactionTable} rows=${contact.transactions} caption=${`Transactions of ${contact.email}`} />
    </section>
  `;
}
