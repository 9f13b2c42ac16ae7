import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from './api.js';
import { html } from './html.js';
import type { Session } from './session.js';

/** GET /v1/hubspot: the connection of the session's mode, its sync counts and each form's check. */
interface Connection {
  status: string;
  portalId: number | null;
  reason: string | null;
  pausedUntil: string | null;
  propertiesReady: boolean;
  oauthConfigured: boolean;
  sync: { pending: number; retrying: number; synced: number; failed: number };
  forms: FormReport[];
}
interface FormReport {
  formId: string;
  productName: string;
  hubspotFormGuid: string;
  checkedAt: string | null;
  missingFields: string[];
  problem: string | null;
}

const STATUS_TEXT: Record<string, string> = {
  not_connected: 'Not connected',
  connected: 'Connected',
  broken: 'Broken: nothing is sent until it is reconnected',
  disconnected: 'Disconnected: the app was uninstalled from the portal',
};

/**
 * The HubSpot portal of the session's mode: its state, sync counts, each form's missing fields, and
 * for owners the link that installs the app (the same browser finishes the install).
 */
export function HubSpot(props: { session: Session; announce: (message: string) => void }) {
  const [connection, setConnection] = useState<Connection | null>(null);
  const [forms, setForms] = useState<FormReport[]>([]);
  const owner = props.session.user.role === 'owner';

  useEffect(() => {
    api<Connection>('GET', '/v1/hubspot').then(
      (status) => {
        setConnection(status);
        setForms(status.forms);
      },
      (caught: unknown) => props.announce(errorText(caught)),
    );
  }, [props.session.livemode]);

  const connect = async () => {
    try {
      const { url } = await api<{ url: string }>('POST', '/v1/merchant/hubspot/connect');
      props.announce('Opening HubSpot…');
      location.assign(url);
    } catch (caught) {
      props.announce(errorText(caught));
    }
  };

  return html`
    <section aria-labelledby="hubspot-title">
      <h2 id="hubspot-title" tabindex="-1">HubSpot (${props.session.livemode ? 'live' : 'test'} mode)</h2>
      ${
        connection &&
        html`<dl>
            <dt>Connection</dt>
            <dd id="hubspot-status">${STATUS_TEXT[connection.status] ?? connection.status}</dd>
            <dt>Portal</dt>
            <dd>${connection.portalId ?? '—'}</dd>
            ${
              connection.reason &&
              html`<dt>Reason</dt>
                <dd>${connection.reason}</dd>`
            }
            ${
              connection.pausedUntil &&
              html`<dt>Paused until</dt>
                <dd>${new Date(connection.pausedUntil).toLocaleString()}</dd>`
            }
            <dt>Transaction properties in the portal</dt>
            <dd>${connection.propertiesReady ? 'ready' : 'not yet created'}</dd>
            <dt>Sync</dt>
            <dd id="hubspot-sync">
              ${connection.sync.synced} synced, ${connection.sync.pending} pending,
              ${connection.sync.retrying} retrying, ${connection.sync.failed} failed
            </dd>
          </dl>
          ${
            owner &&
            (connection.oauthConfigured
              ? html`<button onClick=${connect}>
                  ${connection.status === 'not_connected' ? 'Connect HubSpot' : 'Reconnect HubSpot'}
                </button>`
              : html`<p>
                  This relay has no HubSpot app configured; ask its operator to connect your portal.
                </p>`)
          }`
      }
      <h3 id="hubspot-forms-title">Forms in HubSpot</h3>
      <table aria-labelledby="hubspot-forms-title">
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">HubSpot form</th>
            <th scope="col">Checked</th>
            <th scope="col">Missing fields</th>
          </tr>
        </thead>
        <tbody>
          ${forms.map(
            (form) =>
              html`<tr>
                <td>${form.productName}</td>
                <td><code>${form.hubspotFormGuid}</code></td>
                <td>${form.checkedAt ? new Date(form.checkedAt).toLocaleString() : 'not yet'}</td>
                <td>${form.problem ?? (form.missingFields.join(', ') || 'none')}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </section>
  `;
}
