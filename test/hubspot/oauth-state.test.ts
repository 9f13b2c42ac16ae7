import assert from 'node:assert/strict';
import { HubSpotWorld } from './support.js';

/**
 * The install's `state` is bound to the browser that opened the install link and works once: a
 * callback URL carried to another browser (connecting the attacker's portal to a victim's tenant)
 * or replayed is refused, and nothing is connected.
 */
describe('HubSpot OAuth: state bound to one browser, used once', function () {
  this.timeout(60_000);
  let world: HubSpotWorld;
  before(async () => (world = await HubSpotWorld.start()));
  after(() => world?.close());

  const callbackAnswer = async (callback: URL, cookie?: string) => {
    const response = await fetch(callback, cookie ? { headers: { cookie } } : {});
    const text = await response.text();
    return { status: response.status, code: /"code":"(\w+)"/.exec(text)?.[1], text };
  };
  const connections = (tenantId: string) => world.knex('hubspot_connections').where({ tenant_id: tenantId });

  it('refuses a callback URL opened in a browser that did not start the install', async () => {
    const { seedTenantWithForm } = await import('../../relay/src/testing/payment-fixtures.js');
    const { tenant } = await seedTenantWithForm(world.knex);
    const attackerPortal = world.hubspot.createPortal().portalId;
    // The attacker starts an install and stops at HubSpot's redirect; the victim is sent that URL.
    const attacker = await world.beginOAuthInstall(tenant.id, attackerPortal);
    const victimOwnInstall = await world.beginOAuthInstall(tenant.id, attackerPortal);
    for (const cookie of [undefined, victimOwnInstall.cookie, 'opp_hubspot_oauth=forged']) {
      const answer = await callbackAnswer(attacker.callback, cookie);
      assert.deepEqual([answer.status, answer.code], [400, 'invalid_request'], `${cookie}: ${answer.text}`);
    }
    assert.equal((await connections(tenant.id)).length, 0, 'no portal connected');
  });

  it('answers one callback per state: a replay in the same browser is refused', async () => {
    const { seedTenantWithForm } = await import('../../relay/src/testing/payment-fixtures.js');
    const { tenant } = await seedTenantWithForm(world.knex);
    const portal = world.hubspot.createPortal().portalId;
    const { callback, cookie } = await world.beginOAuthInstall(tenant.id, portal);
    assert.match(cookie, /^opp_hubspot_oauth=[\w-]{43}$/);
    const first = await callbackAnswer(callback, cookie);
    assert.equal(first.status, 200, first.text);
    const again = await callbackAnswer(callback, cookie);
    assert.deepEqual([again.status, again.code], [400, 'invalid_request'], again.text);
    assert.match(again.text, /already used/);
    assert.equal((await connections(tenant.id)).length, 1);
  });
});
