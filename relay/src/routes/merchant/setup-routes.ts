import Router from '@koa/router';
import type { Knex } from 'knex';
import {
  AllowedOrigins,
  CreateFormRequest,
  UpdateChallengeRequest,
  UpdateFormRequest,
} from '@onepagepay/protocol';
import type { HubSpotConfig } from '../../config.js';
import { readJsonBody } from '../../http/read-body.js';
import { assertRecentlyReauthenticated } from '../../merchants/account.js';
import { cdnScript } from '../../merchants/cdn-script.js';
import { getAllowedOrigins, setAllowedOrigins } from '../../merchants/allowed-origins.js';
import {
  getChallengeSettings,
  setChallengeSettings,
  type ChallengeSettingsDeps,
} from '../../merchants/challenge-settings.js';
import { createMerchantForm, listForms, updateMerchantForm } from '../../merchants/forms.js';
import { readDays, revenueByDay } from '../../merchants/revenue.js';
import { stripeStatus } from '../../merchants/stripe-status.js';
import { hubspotStatus, replayTransactionSync, startHubSpotConnect } from '../../merchants/hubspot-setup.js';
import { callerOf, requireMerchant, type MerchantAuthDeps } from './merchant-auth.js';

/** When GET /v1/merchant/hubspot was deprecated (2026-12-07), as an RFC 9745 Deprecation value. */
export const HUBSPOT_DEPRECATED_AT = `@${Date.UTC(2026, 11, 7) / 1000}`;

/**
 * Self-service setup: forms, allowed origins and the HubSpot connection. Members read; owners change.
 * Session only: an API key reads data, it never reconfigures where money comes from.
 */
export function setupRoutes(
  deps: MerchantAuthDeps & {
    knex: Knex;
    hubspot: Pick<HubSpotConfig, 'oauth' | 'apiBase'>;
    cipher: ChallengeSettingsDeps['cipher'];
    relayChallengeKeys: boolean;
  },
): Router {
  const router = new Router({ prefix: '/v1/merchant' });
  const session = requireMerchant(deps, { sessionOnly: true });
  const owner = requireMerchant(deps, { sessionOnly: true, ownerOnly: true });

  router.get('/forms', session, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: await listForms(deps.knex, callerOf(ctx).scope) };
  });

  router.post('/forms', owner, async (ctx) => {
    const caller = callerOf(ctx);
    const input = await readJsonBody(ctx, CreateFormRequest);
    ctx.status = 201;
    ctx.body = await createMerchantForm(deps.knex, caller.scope, input, caller.actor);
  });

  router.post('/forms/:id', owner, async (ctx) => {
    const caller = callerOf(ctx);
    const input = await readJsonBody(ctx, UpdateFormRequest);
    ctx.body = await updateMerchantForm(deps.knex, caller.scope, String(ctx.params.id), input, caller.actor);
  });

  // The snippet's script and SRI hash: the same for every tenant, so any merchant session may read it.
  router.get('/cdn-script', session, async (ctx) => {
    ctx.body = await cdnScript();
  });

  router.get('/allowed-origins', session, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { origins: await getAllowedOrigins(deps.knex, callerOf(ctx).scope) };
  });

  router.post('/allowed-origins', owner, async (ctx) => {
    const caller = callerOf(ctx);
    // A new origin lets another site take payments in the merchant's name: ask for the password.
    assertRecentlyReauthenticated(deps, caller.session!);
    const input = await readJsonBody(ctx, AllowedOrigins);
    ctx.body = { origins: await setAllowedOrigins(deps.knex, caller.scope, input.origins, caller.actor) };
  });

  const challenge = { knex: deps.knex, cipher: deps.cipher, relayKeys: deps.relayChallengeKeys };

  router.get('/challenge', session, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await getChallengeSettings(challenge, callerOf(ctx).scope);
  });

  router.post('/challenge', owner, async (ctx) => {
    const caller = callerOf(ctx);
    // Turning the CAPTCHA off, or keys whose secret passes every token, open the form to card
    // testers: ask for the password, as for a new allowed origin.
    assertRecentlyReauthenticated(deps, caller.session!);
    const input = await readJsonBody(ctx, UpdateChallengeRequest);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await setChallengeSettings(challenge, caller.scope, input, caller.actor);
  });

  // Deprecated for GET /v1/hubspot, which answers all of this and more, to API keys too. Within v1
  // it keeps answering, marked as RFC 9745 and 8288 say, until a v2 drops it.
  router.get('/hubspot', session, async (ctx) => {
    ctx.set('Deprecation', HUBSPOT_DEPRECATED_AT);
    ctx.set('Link', '</v1/hubspot>; rel="successor-version"');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await hubspotStatus(deps.knex, callerOf(ctx).scope, deps.hubspot);
  });

  router.get('/stripe', session, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await stripeStatus(deps.knex, callerOf(ctx).scope);
  });

  router.post('/hubspot/connect', owner, async (ctx) => {
    const caller = callerOf(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await startHubSpotConnect(deps.knex, caller.scope, deps.hubspot, caller.actor);
  });

  // Not under /v1/transactions/, where any other segment is taken for a transaction id.
  router.get('/revenue', requireMerchant(deps, { scope: 'transactions:read' }), async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await revenueByDay(deps.knex, callerOf(ctx).scope, readDays(ctx.query['days']));
  });

  // Under /v1/merchant, not /v1/transactions: it is a session action, never an API key's.
  router.post('/transactions/:id/hubspot-replay', owner, async (ctx) => {
    const caller = callerOf(ctx);
    ctx.body = await replayTransactionSync(deps.knex, caller.scope, String(ctx.params.id), caller.actor);
  });

  return router;
}
