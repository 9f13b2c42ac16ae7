import { Type, type Static } from '@sinclair/typebox';

/** Where a transaction is on its way to HubSpot (see docs/hubspot.md); merchant-api.ts exports the same union. */
const SyncState = Type.Union([
  Type.Literal('pending'),
  Type.Literal('synced'),
  Type.Literal('retrying'),
  Type.Literal('failed'),
]);
/** A transaction's HubSpot sync, as the merchant sees it. */
export const HubSpotSync = Type.Object(
  {
    state: Type.Union([SyncState, Type.Null()]),
    attempts: Type.Integer({ minimum: 0 }),
    lastError: Type.Union([Type.String(), Type.Null()]),
    contactId: Type.Union([Type.String(), Type.Null()]),
    dealId: Type.Union([Type.String(), Type.Null()]),
    lineItemId: Type.Union([Type.String(), Type.Null()]),
    syncedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'HubSpotSync' },
);
export type HubSpotSync = Static<typeof HubSpotSync>;

/** HubSpot's redirect back to the relay after a portal admin approved the install. */
export const HubSpotOAuthCallbackQuery = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 512 }),
  state: Type.String({ minLength: 1, maxLength: 1024 }),
});
export type HubSpotOAuthCallbackQuery = Static<typeof HubSpotOAuthCallbackQuery>;
