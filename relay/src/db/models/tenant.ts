import { BaseModel } from './base-model.js';

export class Tenant extends BaseModel {
  static override tableName = 'tenants';

  id!: string;
  name!: string;
  allowedOrigins!: string[];
  stripeAccountId!: string | null;
  /** A hosted tenant's PayPal merchant id: the payee of its PayPal orders (migration 012). */
  paypalMerchantId!: string | null;
  /** When payers must solve a CAPTCHA (migration 018): never, after a decline, or on every payment. */
  challenge!: 'off' | 'after_decline' | 'always';
  /** The tenant's own CAPTCHA widget (migration 023); null: the relay's CHALLENGE_* keys. */
  challengeProvider!: 'turnstile' | 'hcaptcha' | null;
  challengeSiteKey!: string | null;
  /** The siteverify secret, sealed (`challengeSecretContext`); never sent anywhere but siteverify. */
  challengeSecret!: string | null;
  createdAt!: Date;
  updatedAt!: Date;
}
