import { useState } from 'preact/hooks';
import { api, ApiError } from './api.js';
import { html } from './html.js';

/** Asks for an account; the mailed link (MERCHANT_SIGNUP_VERIFY_URL) comes back as #token=…. */
export function SignUp(props: { onCancel: () => void }) {
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    setError('');
    try {
      const answer = await api<{ message: string }>('POST', '/v1/merchant/signup', {
        email: String(data.get('email') ?? ''),
        password: String(data.get('password') ?? ''),
        businessName: String(data.get('business') ?? ''),
      });
      setMessage(answer.message);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'The relay could not be reached.');
    }
  };

  return html`
    <main id="main" class="narrow">
      <h1>Create a OnePagePay account</h1>
      ${
        message
          ? html`<p role="status">${message}</p>`
          : html`<form onSubmit=${submit}>
              <label for="signup-business">Business name</label>
              <input
                id="signup-business"
                name="business"
                required
                maxlength="200"
                autocomplete="organization"
              />
              <label for="signup-email">Email</label>
              <input id="signup-email" name="email" type="email" required autocomplete="email" />
              <label for="signup-password">Password (12 characters or more)</label>
              <input
                id="signup-password"
                name="password"
                type="password"
                minlength="12"
                required
                autocomplete="new-password"
              />
              <button type="submit">Create account</button>
              <p role="alert" class="error">${error}</p>
            </form>`
      }
      <button class="link" onClick=${props.onCancel}>I have an account: sign in</button>
    </main>
  `;
}

/** The token from a verification link, if the page was opened from one. */
export function signupTokenFromHash(): string | undefined {
  const match = /^#token=([A-Za-z0-9_-]{16,200})$/.exec(location.hash);
  return match?.[1];
}
