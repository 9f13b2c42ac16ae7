import assert from 'node:assert/strict';
import { PAGE_ORIGIN, seedTenantWithForm } from '../testing/payment-fixtures.js';
import { useRelayWithSandbox } from '../testing/use-relay.js';

/** CORS answers for the tenant a request is about, never for "some tenant allows this origin". */
describe('CORS on public reads', function () {
  this.timeout(120_000);
  const h = useRelayWithSandbox();
  const OTHER_ORIGIN = 'https://other-merchant.example';
  let formPath: string;

  before(async () => {
    // Tenant B allows its own site; tenant A (the harness's) allows PAGE_ORIGIN only.
    const other = await seedTenantWithForm(h.relay.database.knex, { name: 'Other Merchant' });
    await h.relay.database
      .knex('tenants')
      .where({ id: other.tenant.id })
      .update({ allowed_origins: [OTHER_ORIGIN] });
    formPath = `/v1/forms/${h.seeded.tenant.id}/${h.seeded.form.hubspotFormGuid}`;
  });

  const allowOrigin = async (path: string, origin: string) =>
    (await fetch(`${h.relay.url}${path}`, { headers: { origin } })).headers;

  it("answers a tenant's form config only to that tenant's origins", async () => {
    assert.equal((await allowOrigin(formPath, PAGE_ORIGIN)).get('access-control-allow-origin'), PAGE_ORIGIN);
    const foreign = await allowOrigin(formPath, OTHER_ORIGIN);
    assert.equal(foreign.get('access-control-allow-origin'), null, "another tenant's origin");
    const malformed = await fetch(`${h.relay.url}/v1/forms/not-a-tenant/${h.seeded.form.hubspotFormGuid}`, {
      headers: { origin: PAGE_ORIGIN },
    });
    assert.equal(malformed.status, 404);
    assert.equal(malformed.headers.get('access-control-allow-origin'), null);
  });

  it('answers the tenant-less status to every page alike, without credentials', async () => {
    for (const origin of [PAGE_ORIGIN, OTHER_ORIGIN, 'https://nobody.example']) {
      const headers = await allowOrigin('/v1/status', origin);
      assert.equal(headers.get('access-control-allow-origin'), '*', origin);
      assert.equal(headers.get('access-control-allow-credentials'), null, origin);
    }
  });
});
