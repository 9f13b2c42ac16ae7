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

/**
 * The tenant's users and their roles (owners only). Changing a role asks for the password, as the
 * API does; the relay keeps at least one owner and says so. New users are added by the operator.
 */
export function Team(props: { session: Session; announce: (message: string) => void }) {
  const [team, setTeam] = useState<TeamMember[]>([]);
  const load = () =>
    api<{ data: TeamMember[] }>('GET', '/v1/merchant/team').then(
      (answer) => setTeam(answer.data),
      (caught: unknown) => props.announce(errorText(caught)),
    );
  useEffect(() => {
    void load();
  }, []);

  const change = async (user: TeamMember) => {
    const role = user.role === 'owner' ? 'member' : 'owner';
    const password = (document.getElementById('team-password') as HTMLInputElement).value;
    try {
      // A password confirmed in the last 5 minutes still counts; the relay says when it does not.
      if (password) await api('POST', '/v1/merchant/reauthenticate', { password });
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
      <label for="team-password">Your password (needed to change a role)</label>
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
    </section>
  `;
}
