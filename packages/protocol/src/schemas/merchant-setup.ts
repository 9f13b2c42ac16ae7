import { Type, type Static } from '@sinclair/typebox';
import { Currency, MinorAmount, Provider, Uuid } from './common.js';

/** The self-service setup a merchant does from the dashboard: forms, allowed origins, HubSpot. */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const HubSpotFormGuid = Type.String({
  pattern: '^[A-Za-z0-9-]{1,64}$',
  description: "The HubSpot form's GUID, from its embed code",
});

export const ProductName = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[^<>\\u0000-\\u001f\\u007f]*\\S[^<>\\u0000-\\u001f\\u007f]*$',
  description: 'Shown to the payer and in HubSpot; no angle brackets or control characters',
});

export const CustomAmountRange = Type.Object(
  { min: MinorAmount, max: MinorAmount },
  { additionalProperties: false, description: 'The payer chooses an amount in this range' },
);

export const FormProviders = Type.Array(Provider, {
  minItems: 1,
  maxItems: Provider.anyOf.length,
  uniqueItems: true,
});

export const MerchantForm = Type.Object({
  id: Uuid,
  livemode: Type.Boolean(),
  hubspotFormGuid: Type.String(),
  productName: Type.String(),
  amount: Nullable(MinorAmount),
  customAmount: Nullable(Type.Object({ min: MinorAmount, max: MinorAmount })),
  currency: Currency,
  providers: Type.Array(Provider),
  enabled: Type.Boolean({ description: 'A disabled form answers payers 404, like an unknown one' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type MerchantForm = Static<typeof MerchantForm>;

export const MerchantFormList = Type.Object({ data: Type.Array(MerchantForm) });
export type MerchantFormList = Static<typeof MerchantFormList>;

export const CreateFormRequest = Type.Object(
  {
    hubspotFormGuid: HubSpotFormGuid,
    productName: ProductName,
    currency: Currency,
    amount: Type.Optional(MinorAmount),
    customAmount: Type.Optional(CustomAmountRange),
    providers: Type.Optional(FormProviders),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, description: 'Give either amount or customAmount' },
);
export type CreateFormRequest = Static<typeof CreateFormRequest>;

export const UpdateFormRequest = Type.Object(
  {
    productName: Type.Optional(ProductName),
    currency: Type.Optional(Currency),
    amount: Type.Optional(Nullable(MinorAmount)),
    customAmount: Type.Optional(Nullable(CustomAmountRange)),
    providers: Type.Optional(FormProviders),
    enabled: Type.Optional(Type.Boolean()),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description:
      'Only the fields given change; to switch pricing send amount and customAmount, one of them null',
  },
);
export type UpdateFormRequest = Static<typeof UpdateFormRequest>;

export const AllowedOrigins = Type.Object(
  {
    origins: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
      maxItems: 20,
      description: 'https://host[:port] (http://localhost for development); the whole list is replaced',
    }),
  },
  { additionalProperties: false },
);
export type AllowedOrigins = Static<typeof AllowedOrigins>;

export const HubSpotConnectLink = Type.Object({
  url: Type.String({
    format: 'uri',
    description: 'Open it in this browser within 30 minutes to install the app on the HubSpot portal',
  }),
});
export type HubSpotConnectLink = Static<typeof HubSpotConnectLink>;

const SyncCount = Type.Integer({ minimum: 0 });

export const HubSpotConnectionStatus = Type.Object({
  livemode: Type.Boolean(),
  status: Type.Union([
    Type.Literal('not_connected'),
    Type.Literal('connected'),
    Type.Literal('broken'),
    Type.Literal('disconnected', { description: 'The app was uninstalled from the portal' }),
  ]),
  portalId: Nullable(Type.Integer()),
  authKind: Nullable(Type.Union([Type.Literal('oauth'), Type.Literal('private_app')])),
  brokenReason: Nullable(Type.String()),
  pausedUntil: Nullable(Type.String({ format: 'date-time' })),
  propertiesReady: Type.Boolean({ description: 'The custom properties the sync writes exist in the portal' }),
  oauthConfigured: Type.Boolean({ description: 'This relay can start an OAuth install' }),
  sync: Type.Object({ pending: SyncCount, retrying: SyncCount, synced: SyncCount, failed: SyncCount }),
});
export type HubSpotConnectionStatus = Static<typeof HubSpotConnectionStatus>;
