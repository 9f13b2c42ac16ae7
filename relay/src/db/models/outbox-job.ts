import { BaseModel } from './base-model.js';

export class OutboxJob extends BaseModel {
  static override tableName = 'outbox';
  static override idColumn = ['tenant_id', 'id'];
  static override jsonAttributes = ['payload'];

  tenantId!: string;
  livemode!: boolean;
  id!: string;
  topic!: string;
  dedupeKey!: string;
  transactionId!: string | null;
  payload!: Record<string, unknown>;
  status!: 'pending' | 'done' | 'dead';
  attempts!: number;
  runAfter!: Date;
  lockedUntil!: Date | null;
  lastError!: string | null;
}
