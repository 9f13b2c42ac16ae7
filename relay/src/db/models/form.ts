import { BaseModel } from './base-model.js';

export class Form extends BaseModel {
  static override tableName = 'forms';
  static override idColumn = ['tenant_id', 'id'];

  tenantId!: string;
  id!: string;
  livemode!: boolean;
  hubspotFormGuid!: string;
  productName!: string;
  amount!: number | null;
  currency!: string;
  providers!: string[];
  customAmountMin!: number | null;
  customAmountMax!: number | null;
  /** A disabled form answers payers like an unknown one (404). */
  enabled!: boolean;
  createdAt!: Date;
  updatedAt!: Date;
}
