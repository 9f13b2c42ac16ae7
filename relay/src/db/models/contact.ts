import { BaseModel } from './base-model.js';

export class Contact extends BaseModel {
  static override tableName = 'contacts';
  static override idColumn = ['tenant_id', 'id'];

  tenantId!: string;
  livemode!: boolean;
  id!: string;
  email!: string;
  firstName!: string;
  lastName!: string;
  stripeCustomerId!: string | null;
  createdAt!: Date;
  updatedAt!: Date;
}
