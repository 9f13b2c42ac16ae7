import type { Knex } from 'knex';
import { RelayError } from '../errors.js';
import type { Mailer } from '../mail/mailer.js';
import { inTenantTransaction } from '../db/tenant-scope.js';
import type { AccountDeps, Client } from './account.js';
import { recordAuditEvent } from './audit.js';
import type { LoginThrottle } from './login-throttle.js';
import { checkPasswordPolicy, hashPassword } from './passwords.js';
import { randomSecret, sha256Hex } from './secrets.js';
import { createSession } from './sessions.js';
import { findLoginCandidate, normalizeLoginEmail, signUp, type MerchantUser } from './users.js';
import { dashboardLink } from './dashboard-link.js';

/** A verification link works once, within this time. */
export const SIGNUP_TOKEN_TTL_MS = 60 * 60_000;

export interface SignupDeps {
  knex: Knex;
  throttle: LoginThrottle;
  mailer: Mailer;
  now: () => Date;
  /** The dashboard page that posts the token; the mail links to it with `#token=…`. */
  signupVerifyUrl?: URL | undefined;
}

/**
 * Signup, step 1: the same answer (and the same work: policy check, one argon2 hash, one mail)
 * whether or not the email already has an account, so signup tells nobody who is a merchant. A new
 * address gets a one-time verification link; a registered one gets a note that it has an account.
 */
export async function requestSignup(
  deps: SignupDeps,
  input: { email: string; password: string; businessName: string },
  client: Client,
): Promise<void> {
  await deps.throttle.assertSignupAllowed(client.ip ?? 'unknown');
  const email = normalizeLoginEmail(input.email);
  checkPasswordPolicy(input.password, { email, businessName: input.businessName });
  const passwordHash = await hashPassword(input.password);
  const now = deps.now();
  if (await findLoginCandidate(deps.knex, email)) {
    await sendMail(deps, {
      to: email,
      subject: 'You already have a OnePagePay account',
      text: [
        'Someone asked to open a OnePagePay account with this address, which already has one.',
        'If it was you, sign in instead. If not, you can ignore this mail: nothing was changed.',
      ].join('\n'),
    });
    return;
  }
  const token = randomSecret(32);
  await deps.knex('merchant_signups').where('expires_at', '<=', now).delete();
  await deps.knex('merchant_signups').insert({
    token_hash: sha256Hex(token),
    email,
    password_hash: passwordHash,
    business_name: input.businessName,
    created_at: now,
    expires_at: new Date(now.getTime() + SIGNUP_TOKEN_TTL_MS),
  });
  await sendMail(deps, verificationMail(deps, email, input.businessName, token));
}

/**
 * Signup, step 2: the token from the mail, taken once, creates the tenant and its owner. Returns
 * when the password was last proven (at step 1), which the new session keeps as its re-auth time.
 */
export async function verifySignup(
  deps: SignupDeps,
  token: string,
  client: Client,
): Promise<{ user: MerchantUser; passwordCheckedAt: Date }> {
  const [pending] = (await deps
    .knex('merchant_signups')
    .where({ token_hash: sha256Hex(token) })
    .where('expires_at', '>', deps.now())
    .delete()
    .returning('*')) as Array<{
    email: string;
    password_hash: string;
    business_name: string;
    created_at: Date;
  }>;
  if (!pending) {
    throw new RelayError('not_found', 'This verification link is unknown, used or expired. Sign up again.');
  }
  const { user } = await signUp(
    deps.knex,
    { email: pending.email, passwordHash: pending.password_hash, businessName: pending.business_name },
    { type: 'anonymous', id: null, ...client },
  );
  return { user, passwordCheckedAt: new Date(pending.created_at) };
}

function verificationMail(deps: SignupDeps, email: string, businessName: string, token: string) {
  const link = dashboardLink(deps.signupVerifyUrl, 'token', token);
  return {
    to: email,
    subject: 'Confirm your email for OnePagePay',
    text: [
      `Confirm this address to open the OnePagePay account of ${businessName}.`,
      ...(link ? ['', `Open: ${link}`] : []),
      '',
      `Verification token: ${token}`,
      '(your dashboard sends it as POST /v1/merchant/signup/verify {"token": "..."})',
      '',
      'It works once, within 1 hour. If you did not sign up, ignore this mail.',
    ].join('\n'),
  };
}

async function sendMail(deps: SignupDeps, message: Parameters<Mailer['send']>[0]): Promise<void> {
  try {
    await deps.mailer.send(message);
  } catch (error) {
    throw new RelayError(
      'provider_unavailable',
      'The verification mail could not be sent. Try again in a few minutes.',
      { cause: error },
    );
  }
}

/**
 * The first session of a verified signup. Opening the mailed link proves the mailbox, not the
 * password, so the session counts as re-authenticated only from when the password was typed.
 */
export async function startSignupSession(
  deps: AccountDeps,
  user: MerchantUser,
  passwordCheckedAt: Date,
  client: Client,
): Promise<{ token: string }> {
  const scope = { tenantId: user.tenant_id, livemode: false };
  return inTenantTransaction(deps.knex, scope, async (trx) => {
    const { token } = await createSession(
      trx,
      {
        tenantId: user.tenant_id,
        userId: user.id,
        mfaVerified: false,
        ip: client.ip,
        userAgent: client.userAgent,
        reauthenticatedAt: passwordCheckedAt,
      },
      deps.now(),
    );
    await recordAuditEvent(
      trx,
      scope,
      { type: 'user', id: user.id, ...client },
      { action: 'login.succeeded', accountLevel: true, details: { signupVerified: true } },
    );
    return { token };
  });
}
