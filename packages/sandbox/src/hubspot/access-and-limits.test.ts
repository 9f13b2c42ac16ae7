import assert from 'node:assert/strict';
import { Client } from '@hubspot/api-client';
import { captureApiError, type ApiErrorLike } from './client-test-support.js';
import { startHubSpotSandbox, type HubSpotSandbox } from './index.js';

function bodyOf(error: ApiErrorLike): Record<string, unknown> {
  assert.equal(typeof error.body, 'object');
  return error.body as Record<string, unknown>;
}

describe('HubSpot sandbox: OAuth, tokens, limits and outages through @hubspot/api-client', () => {
  let sandbox: HubSpotSandbox;
  let now: number;

  beforeEach(async () => {
    now = Date.parse('2026-03-02T12:00:00Z');
    sandbox = await startHubSpotSandbox({ clock: () => now });
  });

  afterEach(() => sandbox.close());

  it('exchanges an authorization code, expires the access token by the clock, and refreshes it', async () => {
    const { portalId } = sandbox.createPortal();
    const redirectUri = 'https://relay.example/oauth/callback';
    const scopes = ['crm.objects.contacts.read', 'crm.objects.contacts.write'];
    const code = sandbox.authorize(portalId, { scopes, redirectUri });
    const { clientId, clientSecret } = sandbox.oauthApp;
    const anonymous = new Client({ basePath: sandbox.url });

    const tokens = await anonymous.oauth.tokensApi.create(
      'authorization_code',
      code,
      redirectUri,
      clientId,
      clientSecret,
    );
    assert.equal(tokens.tokenType, 'bearer');
    assert.equal(tokens.expiresIn, 1800);
    assert.ok(tokens.refreshToken.length > 10);

    const reused = await captureApiError(() =>
      anonymous.oauth.tokensApi.create('authorization_code', code, redirectUri, clientId, clientSecret),
    );
    assert.equal(reused.code, 400);
    assert.equal(bodyOf(reused)['status'], 'BAD_AUTH_CODE');

    const info = await anonymous.oauth.accessTokensApi.get(tokens.accessToken);
    assert.equal(info.hubId, portalId);
    assert.deepEqual(info.scopes, scopes);

    const client = new Client({ accessToken: tokens.accessToken, basePath: sandbox.url });
    const contact = await client.crm.contacts.basicApi.create({
      properties: { email: 'ada@example.com' },
      associations: [],
    });
    assert.equal(sandbox.contacts(portalId)[0]?.id, contact.id);

    const missingScope = await captureApiError(() => client.crm.deals.basicApi.getPage());
    assert.equal(missingScope.code, 403);
    assert.equal(bodyOf(missingScope)['category'], 'MISSING_SCOPES');

    now += 1801 * 1000;
    const expired = await captureApiError(() => client.crm.contacts.basicApi.getById(contact.id));
    assert.equal(expired.code, 401);
    assert.equal(bodyOf(expired)['category'], 'EXPIRED_AUTHENTICATION');
    assert.equal(
      bodyOf(expired)['message'],
      'The OAuth token used to make this call expired 1 second(s) ago.',
    );

    const refreshed = await anonymous.oauth.tokensApi.create(
      'refresh_token',
      undefined,
      undefined,
      clientId,
      clientSecret,
      tokens.refreshToken,
    );
    assert.notEqual(refreshed.accessToken, tokens.accessToken);
    assert.equal(refreshed.refreshToken, tokens.refreshToken);
    const renewed = new Client({ accessToken: refreshed.accessToken, basePath: sandbox.url });
    assert.equal((await renewed.crm.contacts.basicApi.getById(contact.id)).id, contact.id);

    const badSecret = await captureApiError(() =>
      anonymous.oauth.tokensApi.create(
        'refresh_token',
        undefined,
        undefined,
        clientId,
        'wrong',
        tokens.refreshToken,
      ),
    );
    assert.equal(badSecret.code, 400);
  });

  it('answers 401 INVALID_AUTHENTICATION for unknown tokens and EXPIRED_AUTHENTICATION after expireToken', async () => {
    const { accessToken } = sandbox.createPortal();
    const unknown = new Client({ accessToken: 'pat-na1-not-a-token', basePath: sandbox.url });
    const invalid = await captureApiError(() => unknown.crm.contacts.basicApi.getPage());
    assert.equal(invalid.code, 401);
    assert.equal(bodyOf(invalid)['category'], 'INVALID_AUTHENTICATION');
    assert.equal(bodyOf(invalid)['status'], 'error');
    assert.ok(bodyOf(invalid)['correlationId']);

    const client = new Client({ accessToken, basePath: sandbox.url });
    await client.crm.contacts.basicApi.getPage();
    sandbox.expireToken(accessToken);
    const expired = await captureApiError(() => client.crm.contacts.basicApi.getPage());
    assert.equal(expired.code, 401);
    assert.equal(bodyOf(expired)['category'], 'EXPIRED_AUTHENTICATION');
  });

  it('answers 429 TEN_SECONDLY_ROLLING past the window, with the rate-limit headers, then recovers', async () => {
    sandbox.setRateLimit({ maxPerWindow: 3, windowMs: 1000 });
    const { accessToken } = sandbox.createPortal();
    const client = new Client({ accessToken, basePath: sandbox.url, numberOfApiCallRetries: 0 });

    const ok = await client.crm.contacts.basicApi.getPageWithHttpInfo();
    assert.equal(ok.headers['x-hubspot-ratelimit-max'], '3');
    assert.equal(ok.headers['x-hubspot-ratelimit-remaining'], '2');
    assert.equal(ok.headers['x-hubspot-ratelimit-interval-milliseconds'], '1000');
    assert.equal(ok.headers['x-hubspot-ratelimit-daily'], '250000');
    assert.equal(ok.headers['x-hubspot-ratelimit-daily-remaining'], '249999');
    assert.ok(ok.headers['x-hubspot-ratelimit-secondly'] !== undefined);

    await client.crm.contacts.basicApi.getPage();
    await client.crm.contacts.basicApi.getPage();
    const limited = await captureApiError(() => client.crm.contacts.basicApi.getPage());
    assert.equal(limited.code, 429);
    assert.equal(bodyOf(limited)['policyName'], 'TEN_SECONDLY_ROLLING');
    assert.equal(bodyOf(limited)['errorType'], 'RATE_LIMIT');
    assert.equal(bodyOf(limited)['message'], 'You have reached your ten_secondly_rolling limit.');
    assert.equal(limited.headers['x-hubspot-ratelimit-remaining'], '0');
    assert.equal(limited.headers['retry-after'], '1');
    assert.equal(sandbox.stats().rateLimited, 1);

    now += 1001;
    await client.crm.contacts.basicApi.getPage();
  });

  it('answers 429 DAILY for one portal while another portal keeps working', async () => {
    const blocked = sandbox.createPortal();
    const healthy = sandbox.createPortal();
    sandbox.exhaustDailyLimit(blocked.portalId);
    const blockedClient = new Client({
      accessToken: blocked.accessToken,
      basePath: sandbox.url,
      numberOfApiCallRetries: 3,
    });
    const daily = await captureApiError(() => blockedClient.crm.contacts.basicApi.getPage());
    assert.equal(daily.code, 429);
    assert.equal(bodyOf(daily)['policyName'], 'DAILY');
    assert.equal(daily.headers['x-hubspot-ratelimit-daily-remaining'], '0');
    // The client does not retry DAILY: one request only.
    assert.equal(sandbox.stats().byPath['GET /crm/v3/objects/contacts'], 1);

    const healthyClient = new Client({ accessToken: healthy.accessToken, basePath: sandbox.url });
    const page = await healthyClient.crm.contacts.basicApi.getPage();
    assert.deepEqual(page.results, []);
  });

  it('counts the daily limit for private apps, sends no Retry-After and resets at midnight in the account’s time zone', async () => {
    await sandbox.close();
    sandbox = await startHubSpotSandbox({ clock: () => now, dailyLimit: 2 });
    const { accessToken } = sandbox.createPortal();
    const client = new Client({ accessToken, basePath: sandbox.url });
    await client.crm.deals.basicApi.getPage();
    await client.crm.deals.basicApi.getPage();
    const daily = await captureApiError(() => client.crm.deals.basicApi.getPage());
    assert.equal(bodyOf(daily)['policyName'], 'DAILY');
    assert.equal((daily.headers as Record<string, string>)['retry-after'], undefined);
    // A new account keeps US/Eastern: UTC midnight is still yesterday there (UTC-5 in March).
    now = Date.parse('2026-03-03T00:00:01Z');
    assert.equal(
      bodyOf(await captureApiError(() => client.crm.deals.basicApi.getPage()))['policyName'],
      'DAILY',
    );
    now = Date.parse('2026-03-03T05:00:01Z');
    await client.crm.deals.basicApi.getPage();
  });

  it('answers 5xx during an outage (HubSpot-style bodies), lets the client retry, and can be slow', async () => {
    const { accessToken } = sandbox.createPortal();
    sandbox.setOutage('down', { status: 502 });
    const client = new Client({ accessToken, basePath: sandbox.url, numberOfApiCallRetries: 0 });
    const badGateway = await captureApiError(() => client.crm.contacts.basicApi.getPage());
    assert.equal(badGateway.code, 502);
    assert.match(String(badGateway.body), /502 Bad Gateway/);

    sandbox.setOutage('down');
    sandbox.resetStats();
    const retrying = new Client({ accessToken, basePath: sandbox.url, numberOfApiCallRetries: 2 });
    const unavailable = await captureApiError(() => retrying.crm.contacts.basicApi.getPage());
    assert.equal(unavailable.code, 503);
    assert.equal(bodyOf(unavailable)['status'], 'error');
    assert.equal(sandbox.stats().requests, 2);

    sandbox.setOutage('none');
    sandbox.resetStats();
    const started = Date.now();
    sandbox.setOutage('slow', { slowMs: 150 });
    await client.crm.contacts.basicApi.getPage();
    assert.ok(Date.now() - started >= 140);
    assert.equal(sandbox.stats().requests, 1);
  });
});
