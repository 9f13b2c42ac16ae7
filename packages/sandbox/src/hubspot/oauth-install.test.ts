import assert from 'node:assert/strict';
import { Client } from '@hubspot/api-client';
import { startHubSpotSandbox, type HubSpotSandbox } from './index.js';

describe('HubSpot sandbox: the OAuth install redirect', () => {
  let sandbox: HubSpotSandbox;

  beforeEach(async () => {
    sandbox = await startHubSpotSandbox();
  });

  afterEach(() => sandbox.close());

  it('approves /oauth/authorize at once and redirects with a code the token endpoint exchanges', async () => {
    sandbox.createPortal();
    const { portalId } = sandbox.createPortal();
    const redirectUri = 'https://relay.example/oauth/callback';
    const authorizeUrl = new URL('/oauth/authorize', sandbox.url);
    authorizeUrl.search = new URLSearchParams({
      client_id: sandbox.oauthApp.clientId,
      redirect_uri: redirectUri,
      scope: 'crm.objects.deals.read crm.objects.deals.write',
      state: 'csrf-123',
      portal_id: String(portalId),
    }).toString();

    const response = await fetch(authorizeUrl, { redirect: 'manual' });
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, redirectUri);
    assert.equal(location.searchParams.get('state'), 'csrf-123');

    const anonymous = new Client({ basePath: sandbox.url });
    const { clientId, clientSecret } = sandbox.oauthApp;
    const code = location.searchParams.get('code') ?? '';
    const wrongRedirect = anonymous.oauth.tokensApi.create(
      'authorization_code',
      code,
      'https://evil.example',
      clientId,
      clientSecret,
    );
    await assert.rejects(
      wrongRedirect,
      (error: { body: { status: string } }) => error.body.status === 'BAD_REDIRECT_URI',
    );

    const tokens = await anonymous.oauth.tokensApi.create(
      'authorization_code',
      code,
      redirectUri,
      clientId,
      clientSecret,
    );
    const info = await anonymous.oauth.accessTokensApi.get(tokens.accessToken);
    assert.equal(info.hubId, portalId);
    assert.deepEqual(info.scopes, ['crm.objects.deals.read', 'crm.objects.deals.write']);

    const client = new Client({ accessToken: tokens.accessToken, basePath: sandbox.url });
    const page = await client.crm.deals.basicApi.getPageWithHttpInfo();
    assert.equal(page.httpStatusCode, 200);
    // OAuth calls carry no daily headers in HubSpot.
    assert.equal(page.headers['x-hubspot-ratelimit-daily'], undefined);
    assert.equal(page.headers['x-hubspot-ratelimit-max'], '100');
  });

  it('refuses an unknown client id', async () => {
    const response = await fetch(
      `${sandbox.url}/oauth/authorize?client_id=nope&redirect_uri=https%3A%2F%2Frelay.example%2Fcb`,
      { redirect: 'manual' },
    );
    assert.equal(response.status, 400);
  });
});
