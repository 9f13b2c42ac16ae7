import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { AcceptInvitation, invitationTokenFromHash } from './accept-invitation.js';
import { api, ApiError, rememberCsrfToken } from './api.js';
import { ApiKeys } from './api-keys.js';
import { ContactDetail, Contacts } from './contacts.js';
import { Forms } from './forms.js';
import { html } from './html.js';
import { HubSpot } from './hubspot.js';
import type { Session } from './session.js';
import { Settings } from './settings.js';
import { StripeNotice } from './stripe-notice.js';
import { SignIn } from './sign-in.js';
import { SignUp, signupTokenFromHash } from './sign-up.js';
import { Team } from './team.js';
import { TransactionDetail } from './transaction-detail.js';
import { Transactions } from './transactions.js';

const PAGES = {
  transactions: 'Transactions',
  contacts: 'Contacts',
  forms: 'Forms and origins',
  hubspot: 'HubSpot',
  'api-keys': 'API keys',
  team: 'Team',
  settings: 'Settings',
} as const;
type PageName = keyof typeof PAGES;
/** Pages a member has no use for: the API refuses them everything there. */
const OWNER_PAGES: PageName[] = ['api-keys', 'team'];

interface Route {
  page: PageName;
  /** A transaction's or contact's id, for its detail page. */
  id?: string;
}

/** `#/transactions`, `#/transactions/<id>`, `#/contacts/<id>`…: links work, Back works, reload stays. */
function routeFromHash(): Route {
  const [name = '', id] = location.hash.slice(2).split('/');
  const page = name in PAGES ? (name as PageName) : 'transactions';
  return id && (page === 'transactions' || page === 'contacts')
    ? { page, id: decodeURIComponent(id) }
    : { page };
}

/** The hash is the route, so the skip link moves focus itself rather than setting #main. */
function skipToContent(event: MouseEvent) {
  event.preventDefault();
  document.getElementById('main')?.focus();
}

function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [route, setRoute] = useState<Route>(routeFromHash());
  const [message, setMessage] = useState('');

  const signedIn = (next: Session) => {
    rememberCsrfToken(next.csrfToken);
    setSession(next);
  };
  const [signingUp, setSigningUp] = useState(false);
  const [invitation, setInvitation] = useState<string | undefined>(undefined);
  useEffect(() => {
    const token = signupTokenFromHash();
    const invited = invitationTokenFromHash();
    if (invited) {
      // The link from an invitation mail: the token stays in memory only, out of the address bar.
      history.replaceState(null, '', location.pathname);
      setInvitation(invited);
      setSession(null);
    } else if (token) {
      // The link from the signup mail: verifying creates the account and signs in.
      history.replaceState(null, '', location.pathname);
      api<Session>('POST', '/v1/merchant/signup/verify', { token }).then(signedIn, (caught: unknown) => {
        setSession(null);
        setMessage(caught instanceof ApiError ? caught.message : 'The link could not be checked.');
      });
    } else {
      api<Session>('GET', '/v1/merchant/session').then(signedIn, () => setSession(null));
    }
    const follow = () => setRoute(routeFromHash());
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  useEffect(() => {
    // Moving focus to the new page's heading tells screen readers the page changed.
    document.querySelector<HTMLElement>('main h2')?.focus();
  }, [route.page, route.id]);

  if (session === undefined) return html`<p role="status">Loading…</p>`;
  if (session === null && invitation) {
    const joined = (next: Session) => {
      setInvitation(undefined);
      signedIn(next);
      location.hash = '#/settings';
      setMessage('Welcome to the team. Next, turn on two-factor authentication below.');
    };
    return html`<${AcceptInvitation} token=${invitation} onSignedIn=${joined} />`;
  }
  if (session === null) {
    return signingUp
      ? html`<${SignUp} onCancel=${() => setSigningUp(false)} />`
      : html`<${SignIn} onSignedIn=${signedIn} onSignUp=${() => setSigningUp(true)} notice=${message} />`;
  }

  const switchMode = async () => {
    try {
      signedIn(await api<Session>('POST', '/v1/merchant/mode', { livemode: !session.livemode }));
      setMessage(`Switched to ${session.livemode ? 'test' : 'live'} mode.`);
    } catch (caught) {
      setMessage(caught instanceof ApiError ? caught.message : 'Could not switch mode.');
    }
  };
  const signOut = async () => {
    await api('POST', '/v1/merchant/logout').catch(() => undefined);
    setSession(null);
  };

  const owner = session.user.role === 'owner';
  const props = { session, announce: setMessage };
  const page = !owner && OWNER_PAGES.includes(route.page) ? 'transactions' : route.page;
  const content = {
    transactions: () =>
      route.id
        ? html`<${TransactionDetail} key=${route.id} id=${route.id} ...${props} />`
        : html`<${Transactions} ...${props} />`,
    contacts: () =>
      route.id
        ? html`<${ContactDetail} key=${route.id} id=${route.id} ...${props} />`
        : html`<${Contacts} ...${props} />`,
    forms: () => html`<${Forms} ...${props} />`,
    hubspot: () => html`<${HubSpot} ...${props} />`,
    'api-keys': () => html`<${ApiKeys} ...${props} />`,
    team: () => html`<${Team} ...${props} />`,
    settings: () => html`<${Settings} ...${props} onSession=${signedIn} />`,
  }[page];

  return html`
    <a class="skip" href="#main" onClick=${skipToContent}>Skip to content</a>
    <header>
      <strong>OnePagePay</strong>
      <nav aria-label="Dashboard">
        ${Object.entries(PAGES)
          .filter(([name]) => owner || !OWNER_PAGES.includes(name as PageName))
          .map(
            ([name, label]) =>
              html`<a href=${`#/${name}`} aria-current=${page === name ? 'page' : undefined}>${label}</a>`,
          )}
      </nav>
      <span class=${session.livemode ? 'mode live' : 'mode'}>${session.livemode ? 'Live' : 'Test'} mode</span>
      <button onClick=${switchMode}>Switch to ${session.livemode ? 'test' : 'live'}</button>
      <span>${session.user.email} (${session.user.role})</span>
      <button onClick=${signOut}>Sign out</button>
    </header>
    <${StripeNotice} livemode=${session.livemode} />
    <main id="main" tabindex="-1">${content()}</main>
    <p class="status" role="status" aria-live="polite">${message}</p>
  `;
}

render(html`<${App} />`, document.getElementById('app')!);
