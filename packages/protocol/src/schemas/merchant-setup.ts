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

const ChallengeProviderName = Type.Union([Type.Literal('turnstile'), Type.Literal('hcaptcha')]);
const ChallengePolicyName = Type.Union(
  [Type.Literal('off'), Type.Literal('after_decline'), Type.Literal('always')],
  {
    description:
      'off: no CAPTCHA; after_decline: once the payer or IP had a decline; always: on every payment (card and PayPal)',
  },
);

/** The tenant's CAPTCHA as the merchant API shows it: never the secret key. */
export const ChallengeSettings = Type.Object({
  policy: ChallengePolicyName,
  keys: Type.Union(
    [
      Type.Object({
        provider: ChallengeProviderName,
        siteKey: Type.String(),
        secretKeySet: Type.Literal(true, {
          description: 'The secret key is stored, sealed; it is never shown',
        }),
      }),
      Type.Null(),
    ],
    { description: "The tenant's own widget keys; null: the relay's (CHALLENGE_*), if it has any" },
  ),
  relayKeys: Type.Boolean({ description: 'Whether the relay has CAPTCHA keys of its own to fall back on' }),
  active: Type.Boolean({
    description:
      'Whether payers are asked at all: a policy other than off, and keys (the tenant’s or the relay’s)',
  }),
});
export type ChallengeSettings = Static<typeof ChallengeSettings>;

/** Sets the tenant's CAPTCHA; `keys` omitted keeps the stored keys, null removes them. */
export const UpdateChallengeRequest = Type.Object(
  {
    policy: ChallengePolicyName,
    keys: Type.Optional(
      Type.Union([
        Type.Object(
          {
            provider: ChallengeProviderName,
            siteKey: Type.String({
              minLength: 1,
              maxLength: 100,
              pattern: '^[A-Za-z0-9_-]+$',
              description: "The widget's public site key (Turnstile 0x4…, hCaptcha a UUID)",
            }),
            secretKey: Type.String({
              minLength: 1,
              maxLength: 200,
              pattern: '^[A-Za-z0-9_-]+$',
              description:
                'The siteverify secret; stored sealed with ONEPAGEPAY_ENCRYPTION_KEYS, never shown again',
            }),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ]),
    ),
  },
  { additionalProperties: false },
);
export type UpdateChallengeRequest = Static<typeof UpdateChallengeRequest>;

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

/** The CDN script a form's snippet names, pinned to its bytes with Subresource Integrity. */
export const CdnScript = Type.Object({
  version: Type.String({ description: 'The @onepagepay/cdn version the snippet names' }),
  url: Type.String({ format: 'uri', description: 'The versioned file on the CDN (never the moving latest)' }),
  integrity: Type.String({
    pattern: '^sha384-[A-Za-z0-9+/]{64}$',
    description:
      'The file\'s SRI hash, from @onepagepay/cdn\'s manifest.json; use with crossorigin="anonymous"',
  }),
});
export type CdnScript = Static<typeof CdnScript>;

/** GET /v1/merchant/stripe: whether card payments can reach Stripe. */
export const StripeConnectionStatus = Type.Object({
  object: Type.Literal('stripe_status'),
  connectedAccountId: Nullable(
    Type.String({
      description: 'The connected account charged on (acct_…), or null for the platform account',
    }),
  ),
  status: Type.Union([
    Type.Literal('active'),
    Type.Literal('disconnected', {
      description:
        'The connected account disconnected OnePagePay in Stripe: card payments are refused until it is connected again',
    }),
  ]),
  disconnectedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type StripeConnectionStatus = Static<typeof StripeConnectionStatus>;
