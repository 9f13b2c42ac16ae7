import assert from 'node:assert/strict';
import { startHubSpotSandbox, type HubSpotSandbox } from './index.js';

const HUTK = '0123456789abcdef0123456789abcdef';

describe('HubSpot sandbox: forms submissions v3 (the relay submits with fetch)', () => {
  let sandbox: HubSpotSandbox;
  let portalId: number;
  let accessToken: string;

  beforeEach(async () => {
    sandbox = await startHubSpotSandbox();
    ({ portalId, accessToken } = sandbox.createPortal());
  });

  afterEach(() => sandbox.close());

  function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${sandbox.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  it('records a submission with its fields and hutk, answers the inline message, and upserts the contact', async () => {
    const formGuid = sandbox.createForm(portalId, {
      fields: [{ name: 'email', required: true }, 'firstname', 'amount_paid'],
      inlineMessage: 'Thanks, payment received.',
    });
    const response = await post(`/submissions/v3/integration/submit/${portalId}/${formGuid}`, {
      submittedAt: '1767225600000',
      fields: [
        { objectTypeId: '0-1', name: 'email', value: 'Ada@Example.com' },
        { objectTypeId: '0-1', name: 'firstname', value: 'Ada' },
        { name: 'amount_paid', value: '12.50' },
      ],
      context: { hutk: HUTK, pageUri: 'https://shop.example/pay', pageName: 'Pay' },
      legalConsentOptions: { consent: { consentToProcess: true, text: 'I agree' } },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.deepEqual(await response.json(), { inlineMessage: 'Thanks, payment received.' });

    const [submission] = sandbox.formSubmissions(portalId, formGuid);
    assert.equal(submission?.submittedAt, 1767225600000);
    assert.deepEqual(submission?.fields[1], { objectTypeId: '0-1', name: 'firstname', value: 'Ada' });
    assert.equal((submission?.context as { hutk?: string }).hutk, HUTK);
    assert.equal(sandbox.formSubmissions(portalId, 'another-form').length, 0);

    const contacts = sandbox.contacts(portalId);
    assert.equal(contacts.length, 1);
    assert.equal(contacts[0]?.properties['email'], 'ada@example.com');
    assert.equal(contacts[0]?.properties['firstname'], 'Ada');
  });

  it('answers 400 with HubSpot’s errors for a missing required field, an invalid email or an unknown field', async () => {
    const formGuid = sandbox.createForm(portalId, {
      fields: [{ name: 'email', required: true }, 'firstname'],
    });
    const path = `/submissions/v3/integration/submit/${portalId}/${formGuid}`;

    const missing = await post(path, { fields: [{ name: 'firstname', value: 'Ada' }] });
    assert.equal(missing.status, 400);
    const missingBody = (await missing.json()) as {
      status: string;
      correlationId: string;
      errors: Array<{ errorType: string }>;
    };
    assert.equal(missingBody.status, 'error');
    assert.ok(missingBody.correlationId);
    assert.deepEqual(
      missingBody.errors.map((error) => error.errorType),
      ['REQUIRED_FIELD'],
    );

    const invalid = await post(path, {
      fields: [
        { name: 'email', value: 'not-an-email' },
        { name: 'shoe_size', value: '9' },
      ],
    });
    const invalidBody = (await invalid.json()) as { errors: Array<{ errorType: string }> };
    assert.deepEqual(invalidBody.errors.map((error) => error.errorType).sort(), [
      'FIELD_NOT_IN_FORM_DEFINITION',
      'INVALID_EMAIL',
    ]);

    assert.equal((await post(path, 'not json')).status, 400);
    assert.equal(
      (await post(`/submissions/v3/integration/submit/${portalId}/no-such-form`, { fields: [] })).status,
      404,
    );
    assert.equal(sandbox.formSubmissions(portalId).length, 0);
  });

  it('requires a token of the same portal on the secure endpoint and answers a redirect when configured', async () => {
    const formGuid = sandbox.createForm(portalId, { redirectUri: 'https://shop.example/thanks' });
    const path = `/submissions/v3/integration/secure/submit/${portalId}/${formGuid}`;
    const body = { fields: [{ name: 'email', value: 'grace@example.com' }], context: { hutk: HUTK } };

    assert.equal((await post(path, body)).status, 401);
    const other = sandbox.createPortal();
    assert.equal((await post(path, body, { Authorization: `Bearer ${other.accessToken}` })).status, 403);

    const ok = await post(path, body, { Authorization: `Bearer ${accessToken}` });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('x-hubspot-ratelimit-max'), '100');
    assert.deepEqual(await ok.json(), { redirectUri: 'https://shop.example/thanks' });
    assert.equal(sandbox.formSubmissions(portalId)[0]?.secure, true);
  });

  it('answers CORS preflights and can drop connections during an outage', async () => {
    const formGuid = sandbox.createForm(portalId);
    const preflight = await fetch(
      `${sandbox.url}/submissions/v3/integration/submit/${portalId}/${formGuid}`,
      {
        method: 'OPTIONS',
      },
    );
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');

    sandbox.setOutage('down', { status: 0 });
    await assert.rejects(post(`/submissions/v3/integration/submit/${portalId}/${formGuid}`, { fields: [] }));
  });
});
