import { BaseModel } from './base-model.js';

export class Tenant extends BaseModel {
  static override tableName = 'tenants';

  id!: string;
  name!: string;
  allowedOrigins!: string[];
  stripeAccountId!: string | null;
  /** A hosted tenant's PayPal merchant id: the payee of its PayPal orders (migration 012). */
  paypalMerchantId!: string | null;
  createdAt!: Date;
  updatedAt!: Date;
}
