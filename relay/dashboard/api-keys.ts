import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from './api.js';
import { html } from './html.js';
import type { Session } from './session.js';

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const SCOPES = ['transactions:read', 'contacts:read', 'refunds:write'];
const field = (form: HTMLFormElement, name: string) => String(new FormData(form).get(name) ?? '');

/**
 * API keys of the session's mode (owners only). Creating or revoking one asks for the password, as
 * the API does; a new key's secret is shown once and never again.
 */
export function ApiKeys(props: { session: Session; announce: (message: string) => void }) {
  const [keys, setKeys] = useState<ApiKey[]>([]);
  const [secret, setSecret] = useState('');

  const load = () =>
    api<{ data: ApiKey[] }>('GET', '/v1/merchant/api-keys').then(
      (answer) => setKeys(answer.data),
      (caught: unknown) => props.announce(errorText(caught)),
    );
  useEffect(() => {
    void load();
  }, [props.session.livemode]);

  const reauthenticate = (form: HTMLFormElement) =>
    api('POST', '/v1/merchant/reauthenticate', {
      password: field(form, 'password'),
      ...(props.session.user.twoFactorEnabled ? { totpCode: field(form, 'totp').trim() } : {}),
    });

  const create = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    try {
      await reauthenticate(form);
      const created = await api<ApiKey & { secret: string }>('POST', '/v1/merchant/api-keys', {
        name: field(form, 'name'),
        scopes: new FormData(form).getAll('scopes').map(String),
      });
      form.reset();
      setSecret(created.secret);
      props.announce('API key created. Copy the secret now: it is not shown again.');
      await load();
    } catch (caught) {
      props.announce(errorText(caught));
    }
  };

  const revoke = async (key: ApiKey) => {
    const form = document.getElementById('key-form') as HTMLFormElement;
    try {
      // A password confirmed in the last 5 minutes still counts; the relay says when it does not.
      if (field(form, 'password')) await reauthenticate(form);
      await api('POST', `/v1/merchant/api-keys/${key.id}/revoke`);
      props.announce(`Key ${key.name} revoked.`);
      await load();
    } catch (caught) {
      props.announce(errorText(caught));
    }
  };

  return html`
    <section aria-labelledby="keys-title">
      <h2 id="keys-title" tabindex="-1">API keys (${props.session.livemode ? 'live' : 'test'} mode)</h2>
      ${
        secret &&
        html`<div>
          <h3 id="secret-title">New key's secret (shown once)</h3>
          <pre aria-labelledby="secret-title" tabindex="0"><code id="key-secret">${secret}</code></pre>
        </div>`
      }
      <table>
        <caption class="visually-hidden">
          API keys
        </caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Starts with</th>
            <th scope="col">Scopes</th>
            <th scope="col">Last used</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          ${keys.map(
            (key) =>
              html`<tr>
                <td>${key.name}</td>
                <td><code>${key.prefix}</code></td>
                <td>${key.scopes.join(', ')}</td>
                <td>${key.lastUsedAt ? new Date(key.lastUsedAt).toLocaleString() : 'never'}</td>
                <td>
                  ${
                    key.revokedAt
                      ? 'revoked'
                      : html`<button onClick=${() => revoke(key)} aria-label=${`Revoke ${key.name}`}>
                          Revoke
                        </button>`
                  }
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
      <form id="key-form" class="stack" onSubmit=${create} aria-labelledby="new-key-title">
        <h3 id="new-key-title">New key</h3>
        <label for="key-name">Name</label>
        <input id="key-name" name="name" required maxlength="100" />
        <fieldset>
          <legend>Scopes</legend>
          ${SCOPES.map(
            (scope) =>
              html`<label
                ><input type="checkbox" name="scopes" value=${scope} checked=${scope !== 'refunds:write'} />
                ${scope}</label
              >`,
          )}
        </fieldset>
        <label for="key-password">Your password (needed to create or revoke a key)</label>
        <input id="key-password" name="password" type="password" autocomplete="current-password" />
        ${
          props.session.user.twoFactorEnabled &&
          html`<label for="key-totp">Authenticator code</label>
            <input id="key-totp" name="totp" inputmode="numeric" autocomplete="one-time-code" />`
        }
        <button type="submit">Create key</button>
      </form>
    </section>
  `;
}
