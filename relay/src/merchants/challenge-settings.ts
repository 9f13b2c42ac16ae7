import type { Knex } from 'knex';
import type { ChallengeSettings, UpdateChallengeRequest } from '@onepagepay/protocol';
import { Tenant } from '../db/models/tenant.js';
import { inTenantTransaction, type TenantScope } from '../db/tenant-scope.js';
import { notFound } from '../errors.js';
import type { TokenCipher } from '../hubspot/token-cipher.js';
import { challengeSecretContext } from '../secrets/sealed-columns.js';
import { recordAuditEvent, type Actor } from './audit.js';

/** What the settings need from the relay: whether it has CAPTCHA keys of its own to fall back on. */
export interface ChallengeSettingsDeps {
  knex: Knex;
  cipher: TokenCipher;
  relayKeys: boolean;
}

/** The tenant's CAPTCHA policy and widget, as owners and members see it: never the secret. */
export async function getChallengeSettings(
  deps: ChallengeSettingsDeps,
  scope: TenantScope,
): Promise<ChallengeSettings> {
  const tenant = await Tenant.query(deps.knex).findById(scope.tenantId);
  if (!tenant) throw notFound();
  return settingsOf(tenant, deps.relayKeys);
}

/**
 * Sets the policy, and the tenant's own widget keys when `keys` is given (null removes them, so
 * the relay's keys apply). The secret is sealed here, bound to the tenant, before it reaches the
 * database; the audit event names the provider and site key, never the secret.
 */
export async function setChallengeSettings(
  deps: ChallengeSettingsDeps,
  scope: TenantScope,
  input: UpdateChallengeRequest,
  actor: Actor,
): Promise<ChallengeSettings> {
  const changeKeys = input.keys !== undefined;
  const keys = input.keys ?? null;
  const sealed = keys ? deps.cipher.seal(keys.secretKey, challengeSecretContext(scope.tenantId)) : null;
  await inTenantTransaction(deps.knex, scope, async (trx) => {
    await trx.raw('select onepagepay_set_challenge(?, ?, ?, ?, ?)', [
      input.policy,
      changeKeys,
      keys?.provider ?? null,
      keys?.siteKey ?? null,
      sealed,
    ]);
    await recordAuditEvent(trx, scope, actor, {
      action: 'challenge.updated',
      accountLevel: true,
      details: {
        policy: input.policy,
        ...(changeKeys ? { keys: keys ? { provider: keys.provider, siteKey: keys.siteKey } : null } : {}),
      },
    });
  });
  return getChallengeSettings(deps, scope);
}

function settingsOf(tenant: Tenant, relayKeys: boolean): ChallengeSettings {
  const own =
    tenant.challengeProvider && tenant.challengeSiteKey
      ? { provider: tenant.challengeProvider, siteKey: tenant.challengeSiteKey, secretKeySet: true as const }
      : null;
  return {
    policy: tenant.challenge,
    keys: own,
    relayKeys,
    active: tenant.challenge !== 'off' && (own !== null || relayKeys),
  };
}
