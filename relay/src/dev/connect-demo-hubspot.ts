import type { HubSpotSandbox } from '@onepagepay/sandbox';
import type { Knex } from 'knex';
import type { RelayConfig } from '../config.js';
import { createHubSpotClientFactory } from '../hubspot/client-factory.js';
import { preparePortal } from '../hubspot/connect.js';
import { connectPrivateApp } from '../hubspot/oauth.js';
import { TokenCipher } from '../hubspot/token-cipher.js';
import type { Logger } from '../logger.js';

/** The portal id in examples/cdn-snippet's embed code (`portalId: '4242'`). */
export const DEMO_PORTAL_ID = 4242;

/** The demo forms' fields in HubSpot: the payer's name and email, and the two hidden properties. */
export const DEMO_FORM_FIELDS = [
  { name: 'email', required: true },
  { name: 'firstname', required: true },
  { name: 'lastname', required: true },
  { name: 'onepagepay_transaction_id', required: false, hidden: true },
  { name: 'onepagepay_payment_status', required: false, hidden: true },
];

/**
 * Sets up the demo's HubSpot side as a merchant would: the portal the page's embeds name, its forms
 * with the hidden properties, and the tenant connected with a private-app token, exactly as
 * `onepagepay-relay hubspot set-token` does (stored encrypted, custom properties created).
 */
export async function connectDemoHubSpot(
  deps: { knex: Knex; config: RelayConfig; logger: Logger; hubspot: HubSpotSandbox },
  tenantId: string,
  formGuids: string[],
): Promise<{ portalId: number; viewUrl: string }> {
  const { portalId, accessToken } = deps.hubspot.createPortal({ portalId: DEMO_PORTAL_ID });
  for (const formGuid of formGuids) deps.hubspot.createForm(portalId, { formGuid, fields: DEMO_FORM_FIELDS });
  const cipher = new TokenCipher(deps.config.encryptionKeys);
  const clientFactory = createHubSpotClientFactory(deps.config.hubspot.apiBase);
  const scope = { tenantId, livemode: false };
  await connectPrivateApp({ knex: deps.knex, cipher, clientFactory }, scope, accessToken, portalId);
  const problem = await preparePortal(
    { knex: deps.knex, cipher, clientFactory, hubspot: deps.config.hubspot, logger: deps.logger },
    scope,
  );
  if (problem) deps.logger.warn({ problem }, 'demo HubSpot properties not created yet; the worker retries');
  return { portalId, viewUrl: `${deps.hubspot.url}/sandbox/portals/${portalId}` };
}
