import { Type, type Static } from '@sinclair/typebox';
import { Currency, MinorAmount, Provider, Uuid } from './common.js';
import { PaymentStatus } from './payments.js';

const Timestamp = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const TransactionSyncState = Type.Union([
  Type.Literal('pending'),
  Type.Literal('synced'),
  Type.Literal('retrying'),
  Type.Literal('failed'),
]);

/** A transaction as a merchant sees it: no client secrets, tracking cookies or internal claims. */
export const MerchantTransaction = Type.Object({
  id: Uuid,
  object: Type.Literal('transaction'),
  livemode: Type.Boolean(),
  status: PaymentStatus,
  amount: MinorAmount,
  amountRefunded: Type.Integer({ minimum: 0 }),
  currency: Currency,
  productName: Type.String(),
  formId: Uuid,
  contactId: Nullable(Uuid),
  contactEmail: Nullable(Type.String()),
  provider: Provider,
  providerPaymentId: Nullable(Type.String()),
  failureCode: Nullable(Type.String()),
  declineCode: Nullable(Type.String()),
  hubspotSyncState: Nullable(TransactionSyncState),
  pageUri: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type MerchantTransaction = Static<typeof MerchantTransaction>;

export const MerchantContact = Type.Object({
  id: Uuid,
  object: Type.Literal('contact'),
  livemode: Type.Boolean(),
  email: Type.String(),
  firstName: Type.String(),
  lastName: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type MerchantContact = Static<typeof MerchantContact>;

export const MerchantContactWithTransactions = Type.Composite([
  MerchantContact,
  Type.Object({ transactions: Type.Array(MerchantTransaction, { maxItems: 100 }) }),
]);

const page = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({
    object: Type.Literal('list'),
    data: Type.Array(item),
    hasMore: Type.Boolean(),
    nextCursor: Nullable(Type.String({ description: 'Pass as cursor to get the next (older) page' })),
  });

export const TransactionPage = page(MerchantTransaction);
export const ContactPage = page(MerchantContact);

const Limit = Type.String({ pattern: '^[0-9]{1,3}$', description: '1-100, default 25' });
const Cursor = Type.String({ maxLength: 400, description: 'The nextCursor of the previous page' });

/** Query parameters of GET /v1/transactions and /v1/transactions.csv (all optional). */
export const TransactionFilters = {
  limit: Limit,
  cursor: Cursor,
  created_gte: Type.String({ format: 'date-time', description: 'Created at or after (ISO 8601)' }),
  created_lt: Type.String({ format: 'date-time', description: 'Created before (ISO 8601)' }),
  status: Type.String({ description: 'Comma-separated statuses, e.g. succeeded,refunded' }),
  product: Type.String({ maxLength: 200, description: 'Exact product name' }),
  form: Type.String({ maxLength: 64, description: 'Form UUID or HubSpot form GUID' }),
  provider: Provider,
  contact_email: Type.String({ maxLength: 254 }),
  sync_state: Type.String({ description: 'HubSpot sync state: pending, synced, retrying, failed or none' }),
};

export const ContactFilters = { limit: Limit, cursor: Cursor, email: Type.String({ maxLength: 254 }) };

export const CreateRefundRequest = Type.Object(
  {
    amount: Type.Optional(MinorAmount),
    reason: Type.Optional(
      Type.Union([
        Type.Literal('duplicate'),
        Type.Literal('fraudulent'),
        Type.Literal('requested_by_customer'),
      ]),
    ),
  },
  { additionalProperties: false },
);
export type CreateRefundRequest = Static<typeof CreateRefundRequest>;

export const MerchantRefund = Type.Object({
  id: Uuid,
  object: Type.Literal('refund'),
  livemode: Type.Boolean(),
  transactionId: Uuid,
  amount: MinorAmount,
  currency: Currency,
  status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
  providerRefundId: Nullable(Type.String()),
  transaction: MerchantTransaction,
  createdAt: Timestamp,
});
export type MerchantRefund = Static<typeof MerchantRefund>;

export const AuditEvent = Type.Object({
  id: Type.String(),
  object: Type.Literal('audit_event'),
  livemode: Type.Boolean(),
  action: Type.String({ description: 'e.g. login.succeeded, api_key.created, refund.created, export.csv' }),
  outcome: Type.Union([Type.Literal('success'), Type.Literal('failure')]),
  actor: Type.Object({ type: Type.String(), id: Nullable(Type.String()) }),
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  target: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
  occurredAt: Timestamp,
});
export type AuditEvent = Static<typeof AuditEvent>;

export const AuditEventPage = page(AuditEvent);

/** GET /v1/hubspot: the portal connection and what the relay found in it (no tokens). */
export const MerchantHubSpotStatus = Type.Object({
  object: Type.Literal('hubspot_status'),
  status: Type.Union([
    Type.Literal('not_connected'),
    Type.Literal('connected'),
    Type.Literal('broken'),
    Type.Literal('disconnected'),
  ]),
  portalId: Nullable(Type.Integer()),
  reason: Nullable(Type.String({ description: 'Why nothing is sent to HubSpot (broken or uninstalled)' })),
  pausedUntil: Nullable(Timestamp),
  timeZone: Nullable(
    Type.String({ description: "The portal's time zone (its DAILY limit resets at midnight there)" }),
  ),
  currencies: Type.Array(Type.String(), {
    description: 'Currencies the portal enabled; deals in others are refused',
  }),
  settingsReadAt: Nullable(Timestamp),
  livemode: Type.Boolean({ description: "The mode of the connection reported: the key's or session's" }),
  authKind: Nullable(Type.Union([Type.Literal('oauth'), Type.Literal('private_app')])),
  propertiesReady: Type.Boolean({ description: 'The custom properties the sync writes exist in the portal' }),
  oauthConfigured: Type.Boolean({ description: 'This relay can start an OAuth install' }),
  sync: Type.Object(
    {
      pending: Type.Integer({ minimum: 0 }),
      retrying: Type.Integer({ minimum: 0 }),
      synced: Type.Integer({ minimum: 0 }),
      failed: Type.Integer({ minimum: 0 }),
    },
    { description: "The mode's transactions per HubSpot sync state" },
  ),
  forms: Type.Array(
    Type.Object({
      formId: Uuid,
      hubspotFormGuid: Type.String(),
      productName: Type.String(),
      checkedAt: Nullable(Timestamp),
      missingFields: Type.Array(Type.String(), {
        description: 'OnePagePay hidden fields the HubSpot form lacks; add them as hidden fields in HubSpot',
      }),
      problem: Nullable(Type.String()),
    }),
  ),
});
export type MerchantHubSpotStatus = Static<typeof MerchantHubSpotStatus>;
