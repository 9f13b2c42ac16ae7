import assert from 'node:assert/strict';
import type { Client } from '@hubspot/api-client';
import { captureApiError } from './client-test-support.js';
import type { HubSpotSandbox } from './sandbox-controls.js';

/**
 * Where HubSpot is strict, written down with the public page each rule comes from (HubSpot's spec
 * files may not be redistributed), and checked against the sandbox by fidelity-rules.test.ts with
 * the real `@hubspot/api-client`, so the fake cannot drift from them unnoticed.
 */
export interface FidelityRule {
  id: string;
  /** What HubSpot does, in one sentence. */
  rule: string;
  /** The public page that documents it. */
  source: string;
  check(world: RuleWorld): Promise<void>;
}

export interface RuleWorld {
  sandbox: HubSpotSandbox;
  portalId: number;
  client: Client;
  /** Moves the sandbox's clock. */
  setNow(ms: number): void;
}

/** `Property values were not valid: [...]`: the per-property errors HubSpot puts in the message. */
export function readPropertyErrors(body: Record<string, unknown>): Array<Record<string, unknown>> {
  const message = String(body['message'] ?? '');
  const prefix = 'Property values were not valid: ';
  assert.ok(message.startsWith(prefix), `not a property validation message: ${message}`);
  return JSON.parse(message.slice(prefix.length)) as Array<Record<string, unknown>>;
}

export const HUBSPOT_FIDELITY_RULES: FidelityRule[] = [
  {
    id: 'enumeration-currency',
    rule: 'A currency property takes only currencies the account enabled; otherwise the write is a 400 VALIDATION_ERROR "Property values were not valid" with an INVALID_OPTION entry naming the property, and the whole batch is refused.',
    source:
      'https://developers.hubspot.com/changelog/breaking-change-enhanced-validations-for-non-string-properties-in-hubspots-crmobject-apis ; https://knowledge.hubspot.com/articles/kcs_article/contacts/what-does-it-mean-for-a-contact-to-have-an-invalid-value-for-one-of-their-properties',
    async check({ sandbox, portalId, client }) {
      const refused = await captureApiError(() =>
        client.crm.deals.batchApi.create({
          inputs: [
            { properties: { dealname: 'ok', deal_currency_code: 'USD' }, associations: [] },
            { properties: { dealname: 'bad', deal_currency_code: 'EUR' }, associations: [] },
          ],
        }),
      );
      assert.equal(refused.code, 400);
      assert.equal(refused.body['category'], 'VALIDATION_ERROR');
      const [entry] = readPropertyErrors(refused.body);
      assert.deepEqual(
        { isValid: entry?.['isValid'], error: entry?.['error'], name: entry?.['name'] },
        { isValid: false, error: 'INVALID_OPTION', name: 'deal_currency_code' },
      );
      assert.match(String(entry?.['message']), /^EUR was not one of the allowed options/);
      assert.equal(sandbox.deals(portalId).length, 0);
      sandbox.configurePortal(portalId, { currencies: ['USD', 'EUR'] });
      const property = await client.crm.properties.coreApi.getByName('deals', 'deal_currency_code');
      assert.deepEqual(
        property.options.map((option) => option.value),
        ['USD', 'EUR'],
      );
      await client.crm.deals.basicApi.create({ properties: { deal_currency_code: 'EUR' }, associations: [] });
    },
  },
  {
    id: 'enumeration-pipeline-stage',
    rule: '`pipeline` and `dealstage` take internal ids (a stage of that pipeline), never labels.',
    source: 'https://developers.hubspot.com/docs/api-reference/crm-pipelines-v3/guide',
    async check({ client }) {
      const refused = await captureApiError(() =>
        client.crm.deals.basicApi.create({
          properties: { pipeline: 'default', dealstage: 'Closed Won' },
          associations: [],
        }),
      );
      assert.equal(refused.code, 400);
      assert.equal(readPropertyErrors(refused.body)[0]?.['name'], 'dealstage');
      const pipelines = await client.crm.pipelines.pipelinesApi.getAll('deals');
      const stage = pipelines.results[0]?.stages.find((candidate) => candidate.label === 'Closed Won');
      assert.equal(stage?.id, 'closedwon');
      await client.crm.deals.basicApi.create({
        properties: { pipeline: 'default', dealstage: 'closedwon' },
        associations: [],
      });
    },
  },
  {
    id: 'associate-default-partial',
    rule: 'Batch associate/default answers 200 with `errors` in the body when some pairs fail (no 207), so the client returns instead of throwing.',
    source:
      'https://developers.hubspot.com/docs/api-reference/crm-associations-v4/batch/post-crm-v4-associations-fromObjectType-toObjectType-batch-associate-default',
    async check({ client }) {
      const deal = await client.crm.deals.basicApi.create({
        properties: { dealname: 'x' },
        associations: [],
      });
      const contact = await client.crm.contacts.basicApi.create({
        properties: { email: 'rule@example.com' },
        associations: [],
      });
      const answer = await client.crm.associations.v4.batchApi.createDefault('deals', 'contacts', {
        inputs: [
          { _from: { id: deal.id }, to: { id: contact.id } },
          { _from: { id: deal.id }, to: { id: '999999999' } },
        ],
      });
      assert.equal(answer.errors?.length, 1);
      assert.ok(answer.results.length >= 1);
    },
  },
  {
    id: 'form-fields',
    rule: 'Forms submissions v3 refuse a field the form does not define and a submission missing a required field (400, errors FIELD_NOT_IN_FORM_DEFINITION / REQUIRED_FIELD); the form definition is readable from marketing forms v3.',
    source:
      'https://developers.hubspot.com/docs/api-reference/legacy/forms-v3-legacy/post-submissions-v3-integration-submit-portalId-formGuid ; https://developers.hubspot.com/docs/api-reference/marketing-forms-v3/forms/get-marketing-v3-forms-formId',
    async check({ sandbox, portalId, client }) {
      const formGuid = sandbox.createForm(portalId);
      const form = await client.marketing.forms.formsApi.getById(formGuid);
      const names = form.fieldGroups.flatMap((group) => (group.fields ?? []).map((field) => field.name));
      assert.deepEqual(names, ['email', 'firstname', 'lastname']);
      const response = await fetch(
        `${sandbox.url}/submissions/v3/integration/submit/${portalId}/${formGuid}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ fields: [{ name: 'onepagepay_transaction_id', value: 'x' }] }),
        },
      );
      assert.equal(response.status, 400);
      const body = (await response.json()) as { errors: Array<{ errorType: string }> };
      assert.deepEqual(body.errors.map((error) => error.errorType).sort(), [
        'FIELD_NOT_IN_FORM_DEFINITION',
        'REQUIRED_FIELD',
      ]);
    },
  },
  {
    id: 'daily-limit-time-zone',
    rule: "The DAILY limit resets at midnight in the account's time zone; its 429 carries policyName DAILY and no Retry-After.",
    source: 'https://developers.hubspot.com/docs/guides/apps/api-usage/usage-details',
    async check({ sandbox, portalId, client, setNow }) {
      sandbox.configurePortal(portalId, { timeZone: 'Asia/Tokyo' });
      setNow(Date.parse('2026-06-01T10:00:00Z'));
      sandbox.exhaustDailyLimit(portalId);
      const limited = await captureApiError(() => client.crm.deals.basicApi.getPage());
      assert.equal(limited.code, 429);
      assert.equal(limited.body['policyName'], 'DAILY');
      assert.equal(limited.headers['retry-after'], undefined);
      setNow(Date.parse('2026-06-01T14:59:59Z'));
      assert.equal((await captureApiError(() => client.crm.deals.basicApi.getPage())).code, 429);
      setNow(Date.parse('2026-06-01T15:00:01Z')); // midnight in Tokyo
      await client.crm.deals.basicApi.getPage();
    },
  },
  {
    id: 'account-details',
    rule: 'GET /account-info/v3/details gives the time zone, the company currency and the additional currencies.',
    source:
      'https://developers.hubspot.com/docs/api-reference/latest/account/account-information/get-account-details',
    async check({ sandbox, portalId, client }) {
      sandbox.configurePortal(portalId, { timeZone: 'Europe/Berlin', currencies: ['EUR', 'USD'] });
      const response = await client.apiRequest({ method: 'GET', path: '/account-info/v3/details' });
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(body['portalId'], portalId);
      assert.equal(body['timeZone'], 'Europe/Berlin');
      assert.equal(body['companyCurrency'], 'EUR');
      assert.deepEqual(body['additionalCurrencies'], ['USD']);
      assert.equal(typeof body['utcOffsetMilliseconds'], 'number');
    },
  },
  {
    id: 'oauth-v3-introspection',
    rule: 'POST /oauth/v3/token/introspect answers token_use, active, hub_id, user_id, client_id, app_id, scopes and expires_in for a live token; after the app is uninstalled its tokens are inactive and the refresh is refused.',
    source:
      'https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/token-introspect ; https://developers.hubspot.com/docs/api-reference/auth-oauth-v3/guide',
    async check({ sandbox, portalId }) {
      const { clientId, clientSecret } = sandbox.oauthApp;
      const post = async (path: string, form: Record<string, string>) => {
        const response = await fetch(`${sandbox.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret, ...form }),
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      const code = sandbox.authorize(portalId, { scopes: ['oauth', 'crm.objects.deals.read'] });
      const tokens = await post('/oauth/v3/token', { grant_type: 'authorization_code', code });
      const seen = await post('/oauth/v3/token/introspect', { token: String(tokens.body['access_token']) });
      for (const key of [
        'token_use',
        'active',
        'hub_id',
        'user_id',
        'client_id',
        'app_id',
        'scopes',
        'expires_in',
      ]) {
        assert.ok(key in seen.body, `introspection lacks ${key}`);
      }
      assert.equal(seen.body['token_use'], 'access_token');
      assert.equal(seen.body['hub_id'], portalId);
      sandbox.uninstallApp(portalId);
      const gone = await post('/oauth/v3/token/introspect', { token: String(tokens.body['refresh_token']) });
      assert.deepEqual(gone.body, { active: false });
      const refresh = await post('/oauth/v3/token', {
        grant_type: 'refresh_token',
        refresh_token: String(tokens.body['refresh_token']),
      });
      assert.equal(refresh.status, 400);
      assert.equal(refresh.body['status'], 'BAD_REFRESH_TOKEN');
    },
  },
  {
    id: 'oauth-2026-03-and-rfc6749-errors',
    rule: "The date-versioned OAuth API (POST /oauth/2026-03/token and /token/introspect, form bodies) replaces the v1 endpoints sunset on 2027-02-16; OAuth refusals carry RFC 6749 `error` and `error_description` beside HubSpot's `status` and `message`.",
    source:
      'https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/migration-guide ; https://developers.hubspot.com/changelog/new-oauth-v3-api-endpoints-and-standardized-error-responses',
    async check({ sandbox, portalId }) {
      const { clientId, clientSecret } = sandbox.oauthApp;
      const post = async (form: Record<string, string>) => {
        const response = await fetch(`${sandbox.url}/oauth/2026-03/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret, ...form }),
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      const code = sandbox.authorize(portalId, { scopes: ['oauth'] });
      const tokens = await post({ grant_type: 'authorization_code', code });
      assert.equal(tokens.status, 200);
      const again = await post({ grant_type: 'authorization_code', code });
      assert.equal(again.status, 400);
      assert.equal(again.body['error'], 'invalid_grant');
      assert.equal(again.body['status'], 'BAD_AUTH_CODE');
      assert.equal(typeof again.body['error_description'], 'string');
      assert.equal(typeof again.body['message'], 'string');
    },
  },
];
