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

  it('answers the 2026-03 token endpoint with a form body, and its refusals in RFC 6749 and HubSpot fields', async () => {
    const portalId = sandbox.createPortal().portalId;
    const redirectUri = 'https://relay.example/v1/hubspot/oauth/callback';
    const code = sandbox.authorize(portalId, { redirectUri });
    const { clientId, clientSecret } = sandbox.oauthApp;
    const post = async (path: string, fields: Record<string, string>) => {
      const response = await fetch(`${sandbox.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const issued = await post('/oauth/2026-03/token', {
      grant_type: 'authorization_code',
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uri: redirectUri,
      code,
    });
    assert.equal(issued.status, 200);
    assert.equal(issued.body['token_type'], 'bearer');
    assert.equal(issued.body['expires_in'], 1800);
    const seen = await post('/oauth/2026-03/token/introspect', {
      client_id: clientId,
      client_secret: clientSecret,
      token: String(issued.body['access_token']),
    });
    assert.equal(seen.body['hub_id'], portalId);
    assert.equal(seen.body['token_use'], 'access_token');

    const replayed = await post('/oauth/2026-03/token', {
      grant_type: 'authorization_code',
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uri: redirectUri,
      code,
    });
    assert.equal(replayed.status, 400);
    assert.equal(replayed.body['error'], 'invalid_grant');
    assert.equal(replayed.body['status'], 'BAD_AUTH_CODE');
    assert.equal(typeof replayed.body['error_description'], 'string');
    const wrongSecret = await post('/oauth/2026-03/token', {
      grant_type: 'refresh_token',
      client_id: clientId,
      client_secret: 'wrong',
      refresh_token: String(issued.body['refresh_token']),
    });
    assert.equal(wrongSecret.body['error'], 'invalid_client');
    const password = await post('/oauth/2026-03/token', {
      grant_type: 'password',
      client_id: clientId,
      client_secret: clientSecret,
    });
    assert.equal(password.body['error'], 'unsupported_grant_type');
  });

  it('refuses an unknown client id', async () => {
    const response = await fetch(
      `${sandbox.url}/oauth/authorize?client_id=nope&redirect_uri=https%3A%2F%2Frelay.example%2Fcb`,
      { redirect: 'manual' },
    );
    assert.equal(response.status, 400);
  });
});
