import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from './api.js';
import { html } from './html.js';
import type { Session } from './session.js';

interface TeamMember {
  id: string;
  email: string;
  role: 'owner' | 'member';
  twoFactorEnabled: boolean;
  createdAt: string;
}

interface Invitation {
  id: string;
  email: string;
  role: 'owner' | 'member';
  expiresAt: string;
}

/**
 * The tenant's users and their roles, and invitations by mail (owners only). Changing a role or
 * inviting asks for the password, as the API does; the relay keeps at least one owner and says so.
 */
export function Team(props: { session: Session; announce: (message: string) => void }) {
  const [team, setTeam] = useState<TeamMember[]>([]);
  const [invitations, setInvitations] = useState<Invitation[]>([]);
  const load = () =>
    Promise.all([
      api<{ data: TeamMember[] }>('GET', '/v1/merchant/team'),
      api<{ data: Invitation[] }>('GET', '/v1/merchant/team/invitations'),
    ]).then(
      ([members, open]) => {
        setTeam(members.data);
        setInvitations(open.data);
      },
      (caught: unknown) => props.announce(errorText(caught)),
    );
  useEffect(() => {
    void load();
  }, []);

  // A password confirmed in the last 5 minutes still counts; the relay says when it does not.
  const confirmPassword = async () => {
    const password = (document.getElementById('team-password') as HTMLInputElement).value;
    if (password) await api('POST', '/v1/merchant/reauthenticate', { password });
  };

  const invite = async (event: SubmitEvent) => {
    event.preventDefault();
    const element = event.target as HTMLFormElement;
    const data = new FormData(element);
    const email = String(data.get('email') ?? '').trim();
    try {
      await confirmPassword();
      await api('POST', '/v1/merchant/team/invitations', { email, role: String(data.get('role')) });
      element.reset();
      props.announce(`Invitation sent to ${email}. The link works once, within 72 hours.`);
      await load();
    } catch (caught) {
      props.announce(errorText(caught));
    }
  };

  const revoke = async (invitation: Invitation) => {
    try {
      await api('POST', `/v1/merchant/team/invitations/${invitation.id}/revoke`);
      props.announce(`Invitation to ${invitation.email} revoked.`);
      await load();
    } catch (caught) {
      props.announce(errorText(caught));
    }
  };

  const change = async (user: TeamMember) => {
    const role = user.role === 'owner' ? 'member' : 'owner';
    try {
      await confirmPassword();
      await api('POST', `/v1/merchant/team/${user.id}/role`, { role });
      props.announce(`${user.email} is now ${role === 'owner' ? 'an owner' : 'a member'}.`);
      await load();
    } catch (caught) {
      props.announce(errorText(caught));
    }
  };

  return html`
    <section aria-labelledby="team-title">
      <h2 id="team-title" tabindex="-1">Team</h2>
      <p>Owners refund, manage forms, origins, API keys and roles, and read the audit log; members read.</p>
      <label for="team-password">Your password (needed to invite or change a role)</label>
      <input id="team-password" type="password" autocomplete="current-password" />
      <table>
        <caption class="visually-hidden">
          Users and roles
        </caption>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Two-factor</th>
            <th scope="col">Since</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          ${team.map(
            (user) =>
              html`<tr>
                <td>${user.email}${user.id === props.session.user.id ? ' (you)' : ''}</td>
                <td>${user.role}</td>
                <td>${user.twoFactorEnabled ? 'on' : 'off'}</td>
                <td>${new Date(user.createdAt).toLocaleDateString()}</td>
                <td>
                  <button onClick=${() => change(user)}>
                    ${user.role === 'owner' ? `Make ${user.email} a member` : `Make ${user.email} an owner`}
                  </button>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
      <form class="stack" onSubmit=${invite} aria-labelledby="invite-title">
        <h3 id="invite-title">Invite someone</h3>
        <label for="invite-email">Their email</label>
        <input id="invite-email" name="email" type="email" required maxlength="254" autocomplete="off" />
        <label for="invite-role">Role</label>
        <select id="invite-role" name="role">
          <option value="member">Member (reads)</option>
          <option value="owner">Owner (also refunds and manages the account)</option>
        </select>
        <button type="submit">Send invitation</button>
      </form>
      ${
        invitations.length > 0 &&
        html`<table>
          <caption>
            Open invitations
          </caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Link works until</th>
              <th scope="col">Revoke</th>
            </tr>
          </thead>
          <tbody>
            ${invitations.map(
              (invitation) =>
                html`<tr>
                  <td>${invitation.email}</td>
                  <td>${invitation.role}</td>
                  <td>${new Date(invitation.expiresAt).toLocaleString()}</td>
                  <td>
                    <button onClick=${() => revoke(invitation)}>
                      Revoke invitation to ${invitation.email}
                    </button>
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>`
      }
    </section>
  `;
}
