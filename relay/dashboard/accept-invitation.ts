import { useState } from 'preact/hooks';
import { api, errorText } from './api.js';
import { html } from './html.js';
import type { Session } from './session.js';

/** The invitee's page, opened from the mailed link: they choose a password and are signed in. */
export function AcceptInvitation(props: { token: string; onSignedIn: (session: Session) => void }) {
  const [error, setError] = useState('');

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError('');
    const password = String(new FormData(event.target as HTMLFormElement).get('password') ?? '');
    try {
      props.onSignedIn(
        await api<Session>('POST', '/v1/merchant/invitations/accept', { token: props.token, password }),
      );
    } catch (caught) {
      setError(errorText(caught));
    }
  };

  return html`
    <main id="main" class="narrow">
      <h1>Join your team on OnePagePay</h1>
      <p>Choose a password for your account. Next, you turn on two-factor authentication.</p>
      <form onSubmit=${submit}>
        <label for="invite-password">Choose a password (12 characters or more)</label>
        <input
          id="invite-password"
          name="password"
          type="password"
          minlength="12"
          maxlength="128"
          required
          autocomplete="new-password"
        />
        <button type="submit">Join</button>
        <p role="alert" class="error">${error}</p>
      </form>
    </main>
  `;
}

/** The token from an invitation link, if the page was opened from one. */
export function invitationTokenFromHash(): string | undefined {
  return /^#invite=([A-Za-z0-9_-]{43})$/.exec(location.hash)?.[1];
}
