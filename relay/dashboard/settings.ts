import { useState } from 'preact/hooks';
import { api, errorText } from './api.js';
import { html } from './html.js';
import { useKeysetPages } from './keyset-pages.js';
import type { Session } from './session.js';
const field = (event: SubmitEvent, name: string) =>
  String(new FormData(event.target as HTMLFormElement).get(name) ?? '');

interface Enrolment {
  secret: string;
  qrCodeDataUrl: string;
}

/** Password change and two-factor enrolment: each asks for the password, as the API does. */
export function Settings(props: {
  session: Session;
  onSession: (session: Session) => void;
  announce: (message: string) => void;
}) {
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>([]);

  const changePassword = async (event: SubmitEvent) => {
    event.preventDefault();
    try {
      props.onSession(
        await api<Session>('POST', '/v1/merchant/password', {
          currentPassword: field(event, 'current'),
          newPassword: field(event, 'new'),
        }),
      );
      (event.target as HTMLFormElement).reset();
      props.announce('Password changed. Other sessions were signed out.');
    } catch (caught) {
      props.announce(errorText(caught));
    }
  };

  const startEnrolment = async (event: SubmitEvent) => {
    event.preventDefault();
    try {
      await api('POST', '/v1/merchant/reauthenticate', { password: field(event, 'password') });
      setEnrolment(await api<Enrolment>('POST', '/v1/merchant/two-factor/setup'));
      props.announce('Scan the QR code, then enter the code your app shows.');
    } catch (caught) {
      props.announce(errorText(caught));
    }
  };

  const confirm = async (event: SubmitEvent) => {
    event.preventDefault();
    try {
      const answer = await api<Session & { recoveryCodes: string[] }>(
        'POST',
        '/v1/merchant/two-factor/confirm',
        { code: field(event, 'code').trim() },
      );
      setEnrolment(null);
      setRecoveryCodes(answer.recoveryCodes);
      props.onSession(answer);
      props.announce('Two-factor authentication is on. Save your recovery codes now.');
    } catch (caught) {
      props.announce(errorText(caught));
    }
  };

  return html`
    <section aria-labelledby="settings-title">
      <h2 id="settings-title" tabindex="-1">Settings</h2>
      <h3 id="two-factor-title">Two-factor authentication</h3>
      <p>${props.session.user.twoFactorEnabled ? 'On.' : 'Off. Live mode needs it.'}</p>
      ${
        !props.session.user.twoFactorEnabled &&
        !enrolment &&
        html`<form class="stack" onSubmit=${startEnrolment} aria-labelledby="two-factor-title">
          <label for="enrol-password">Your password</label>
          <input
            id="enrol-password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
          />
          <button type="submit">Set up two-factor authentication</button>
        </form>`
      }
      ${
        enrolment &&
        html`<form class="stack" onSubmit=${confirm} aria-labelledby="two-factor-title">
          <img
            src=${enrolment.qrCodeDataUrl}
            alt="QR code for your authenticator app"
            width="200"
            height="200"
          />
          <p>Or type this key: <code id="totp-secret">${enrolment.secret}</code></p>
          <label for="totp-code">Code from the app</label>
          <input id="totp-code" name="code" inputmode="numeric" autocomplete="one-time-code" required />
          <button type="submit">Turn on</button>
        </form>`
      }
      ${
        recoveryCodes.length > 0 &&
        html`<div>
          <h4 id="recovery-title">Recovery codes (shown once)</h4>
          <ul aria-labelledby="recovery-title" id="recovery-codes">
            ${recoveryCodes.map((code) => html`<li><code>${code}</code></li>`)}
          </ul>
        </div>`
      }
      <h3 id="password-title">Password</h3>
      <form class="stack" onSubmit=${changePassword} aria-labelledby="password-title">
        <label for="current-password">Current password</label>
        <input
          id="current-password"
          name="current"
          type="password"
          autocomplete="current-password"
          required
        />
        <label for="new-password">New password (12 characters or more)</label>
        <input
          id="new-password"
          name="new"
          type="password"
          autocomplete="new-password"
          minlength="12"
          required
        />
        <button type="submit">Change password</button>
      </form>
      ${props.session.user.role === 'owner' && html`<${AuditLog} announce=${props.announce} livemode=${props.session.livemode} />`}
    </section>
  `;
}

interface AuditEvent {
  id: string;
  action: string;
  outcome: string;
  actor: { type: string };
  ip: string | null;
  occurredAt: string;
}

/** The tenant's audit log, newest first, 25 events a page through the API's keyset cursor (owners). */
function AuditLog(props: { announce: (message: string) => void; livemode: boolean }) {
  const { page, pager } = useKeysetPages<AuditEvent>({
    path: '/v1/audit-events',
    filters: {},
    noun: 'audit events',
    announce: props.announce,
    livemode: props.livemode,
    label: 'Audit log pages',
  });
  const events = page?.data ?? [];
  return html`
    <h3 id="audit-title">Audit log</h3>
    <table aria-labelledby="audit-title">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">What</th>
          <th scope="col">Outcome</th>
          <th scope="col">Who</th>
          <th scope="col">IP</th>
        </tr>
      </thead>
      <tbody>
        ${events.map(
          (event) =>
            html`<tr>
              <td>${new Date(event.occurredAt).toLocaleString()}</td>
              <td>${event.action}</td>
              <td>${event.outcome}</td>
              <td>${event.actor.type}</td>
              <td>${event.ip ?? '—'}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${pager}
  `;
}
