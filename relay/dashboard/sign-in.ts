import { useState } from 'preact/hooks';
import { api, ApiError } from './api.js';
import { html } from './html.js';
import type { Session } from './session.js';

/** Email and password, then the TOTP code or a recovery code when the account has 2FA. */
export function SignIn(props: {
  onSignedIn: (session: Session) => void;
  onSignUp: () => void;
  notice?: string;
}) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [useRecovery, setUseRecovery] = useState(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const second = String(data.get('second') ?? '').trim();
    setBusy(true);
    setError('');
    try {
      const session = await api<Session>('POST', '/v1/merchant/login', {
        email: String(data.get('email') ?? ''),
        password: String(data.get('password') ?? ''),
        ...(second ? (useRecovery ? { recoveryCode: second } : { totpCode: second }) : {}),
      });
      props.onSignedIn(session);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'The relay could not be reached.');
    } finally {
      setBusy(false);
    }
  };

  return html`
    <main id="main" class="narrow">
      <h1>Sign in to OnePagePay</h1>
      ${props.notice && html`<p role="status">${props.notice}</p>`}
      <form onSubmit=${submit} aria-describedby="sign-in-error">
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <label for="second"> ${useRecovery ? 'Recovery code' : 'Authenticator code (if 2FA is on)'} </label>
        <input
          id="second"
          name="second"
          autocomplete="one-time-code"
          inputmode=${useRecovery ? 'text' : 'numeric'}
        />
        <button type="button" class="link" onClick=${() => setUseRecovery(!useRecovery)}>
          ${useRecovery ? 'Use an authenticator code instead' : 'Use a recovery code instead'}
        </button>
        <button type="submit" disabled=${busy}>${busy ? 'Signing in…' : 'Sign in'}</button>
        <p id="sign-in-error" role="alert" class="error">${error}</p>
      </form>
      <button class="link" onClick=${props.onSignUp}>New here? Create an account</button>
    </main>
  `;
}
