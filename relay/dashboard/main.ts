import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, rememberCsrfToken } from './api.js';
import { Forms } from './forms.js';
import { html } from './html.js';
import type { Session } from './session.js';
import { Settings } from './settings.js';
import { SignIn } from './sign-in.js';
import { SignUp, signupTokenFromHash } from './sign-up.js';
import { Transactions } from './transactions.js';

const PAGES = { transactions: 'Transactions', forms: 'Forms and origins', settings: 'Settings' } as const;
type PageName = keyof typeof PAGES;

const pageFromHash = (): PageName =>
  location.hash.slice(2) in PAGES ? (location.hash.slice(2) as PageName) : 'transactions';

function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [page, setPage] = useState<PageName>(pageFromHash());
  const [message, setMessage] = useState('');

  const signedIn = (next: Session) => {
    rememberCsrfToken(next.csrfToken);
    setSession(next);
  };
  const [signingUp, setSigningUp] = useState(false);
  useEffect(() => {
    const token = signupTokenFromHash();
    if (token) {
      // The link from the signup mail: verifying creates the account and signs in.
      history.replaceState(null, '', location.pathname);
      api<Session>('POST', '/v1/merchant/signup/verify', { token }).then(signedIn, (caught: unknown) => {
        setSession(null);
        setMessage(caught instanceof ApiError ? caught.message : 'The link could not be checked.');
      });
    } else {
      api<Session>('GET', '/v1/merchant/session').then(signedIn, () => setSession(null));
    }
    const follow = () => setPage(pageFromHash());
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  useEffect(() => {
    // Moving focus to the new page's heading tells screen readers the page changed.
    document.querySelector<HTMLElement>('main h2')?.focus();
  }, [page]);

  if (session === undefined) return html`<p role="status">Loading…</p>`;
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

  return html`
    <a class="skip" href="#main">Skip to content</a>
    <header>
      <strong>OnePagePay</strong>
      <nav aria-label="Dashboard">
        ${Object.entries(PAGES).map(
          ([name, label]) =>
            html`<a href=${`#/${name}`} aria-current=${page === name ? 'page' : undefined}>${label}</a>`,
        )}
      </nav>
      <span class=${session.livemode ? 'mode live' : 'mode'}>${session.livemode ? 'Live' : 'Test'} mode</span>
      <button onClick=${switchMode}>Switch to ${session.livemode ? 'test' : 'live'}</button>
      <span>${session.user.email} (${session.user.role})</span>
      <button onClick=${signOut}>Sign out</button>
    </header>
    <main id="main" tabindex="-1">
      ${
        page === 'forms'
          ? html`<${Forms} session=${session} announce=${setMessage} />`
          : page === 'settings'
            ? html`<${Settings} session=${session} onSession=${signedIn} announce=${setMessage} />`
            : html`<${Transactions} session=${session} announce=${setMessage} />`
      }
    </main>
    <p class="status" role="status" aria-live="polite">${message}</p>
  `;
}

render(html`<${App} />`, document.getElementById('app')!);
