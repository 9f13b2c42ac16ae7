import { BaseModel } from './base-model.js';

export class Tenant extends BaseModel {
  static override tableName = 'tenants';

  id!: string;
  name!: string;
  allowedOrigins!: string[];
  stripeAccountId!: string | null;
  createdAt!: Date;
  updatedAt!: Date;
}
