import type { Knex } from 'knex';
import { APP_ROLE } from '../row-security.js';

/**
 * A tenant's own CAPTCHA widget (provider, site key, and the siteverify secret sealed with
 * ONEPAGEPAY_ENCRYPTION_KEYS, context `challenge-secret:<tenant id>`), set by its owners through the
 * merchant API. The app role may not update `tenants` (migration 010), so, as for the allowed
 * origins (migration 021), a definer function writes only the tenant bound to the transaction and
 * checks what it is given once more. The relay seals the secret before it calls the function.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (columns) => {
    columns.string('challenge_provider', 16).nullable();
    columns.string('challenge_site_key', 100).nullable();
    columns.text('challenge_secret').nullable();
  });
  await knex.raw(`alter table tenants add constraint tenants_challenge_keys_check check (
    (challenge_provider is null and challenge_site_key is null and challenge_secret is null)
    or (challenge_provider in ('turnstile', 'hcaptcha') and challenge_site_key is not null
        and challenge_secret is not null))`);
  await knex.raw(`create function onepagepay_set_challenge(
      p_policy text, p_change_keys boolean, p_provider text, p_site_key text, p_secret text)
    returns void
    language plpgsql volatile security definer set search_path = public, pg_temp as $$
      declare
        bound uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
      begin
        if bound is null then
          raise exception 'no tenant is bound to this transaction' using errcode = '42501';
        end if;
        if p_policy is null or p_policy not in ('off', 'after_decline', 'always') then
          raise exception 'policy must be off, after_decline or always' using errcode = '22023';
        end if;
        if p_change_keys and p_provider is not null and (
             p_provider not in ('turnstile', 'hcaptcha')
             or p_site_key !~ '^[A-Za-z0-9_-]{1,100}$'
             or p_secret !~ '^v1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$') then
          raise exception 'keys need a provider, a site key and a sealed secret' using errcode = '22023';
        end if;
        update tenants set challenge = p_policy, updated_at = now() where id = bound;
        if p_change_keys then
          update tenants set challenge_provider = p_provider, challenge_site_key = p_site_key,
                             challenge_secret = p_secret
           where id = bound;
        end if;
      end
    $$`);
  const signature = 'onepagepay_set_challenge(text, boolean, text, text, text)';
  await knex.raw(`revoke all on function ${signature} from public`);
  await knex.raw(`grant execute on function ${signature} to ${APP_ROLE}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function if exists onepagepay_set_challenge(text, boolean, text, text, text)');
  await knex.raw('alter table tenants drop constraint if exists tenants_challenge_keys_check');
  await knex.schema.alterTable('tenants', (columns) => {
    columns.dropColumn('challenge_provider');
    columns.dropColumn('challenge_site_key');
    columns.dropColumn('challenge_secret');
  });
}
