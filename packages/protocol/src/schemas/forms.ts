import { Type, type Static } from '@sinclair/typebox';
import { Currency, MinorAmount, Provider, Uuid } from './common.js';

/** What the SDK needs to render the payment step of one HubSpot form: public data only. */
export const FormConfig = Type.Object(
  {
    tenantId: Uuid,
    formId: Type.String({ description: 'The HubSpot form GUID' }),
    livemode: Type.Boolean(),
    product: Type.Object({ name: Type.String() }),
    amount: Type.Union([MinorAmount, Type.Null()], {
      description: 'Fixed price in minor units, or null when the payer chooses within customAmount',
    }),
    customAmount: Type.Union([Type.Object({ min: MinorAmount, max: MinorAmount }), Type.Null()]),
    currency: Currency,
    currencyDecimals: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 3,
        description: "Decimals of the currency's minor unit as amounts count them (JPY 0, KWD 3)",
      }),
    ),
    providers: Type.Array(Provider, { minItems: 1 }),
    stripe: Type.Union([
      Type.Object({
        publishableKey: Type.String(),
        accountId: Type.Union([Type.String(), Type.Null()], {
          description: 'The connected account charges are made on, if any',
        }),
      }),
      Type.Null(),
    ]),
    paypal: Type.Optional(
      Type.Union([
        Type.Object({
          clientId: Type.String({ description: "The relay's PayPal REST app client id, for the JS SDK" }),
          merchantId: Type.Union([Type.String(), Type.Null()], {
            description: "The hosted tenant's PayPal merchant id that receives the money, if any",
          }),
          sdkUrl: Type.Optional(
            Type.String({
              description:
                "Where to load PayPal's JS SDK from, only when the relay talks to a PayPal sandbox fake; absent: https://www.paypal.com/sdk/js",
            }),
          ),
        }),
        Type.Null(),
      ]),
    ),
    challenge: Type.Optional(
      Type.Union(
        [
          Type.Object({
            provider: Type.Union([Type.Literal('turnstile'), Type.Literal('hcaptcha')]),
            siteKey: Type.String(),
            policy: Type.Union([Type.Literal('after_decline'), Type.Literal('always')], {
              description:
                'always: every payment needs a solved CAPTCHA; after_decline: once the payer or IP had a decline (the relay answers challenge_required)',
            }),
            scriptUrl: Type.Optional(
              Type.String({
                description:
                  "Where to load the widget's api.js from, only when the relay talks to a CAPTCHA sandbox fake; absent: the provider's own",
              }),
            ),
          }),
          Type.Null(),
        ],
        {
          description:
            "The tenant's CAPTCHA, when it asks for one and the relay has the keys; null otherwise",
        },
      ),
    ),
  },
  { $id: 'FormConfig' },
);
export type FormConfig = Static<typeof FormConfig>;

export const FormConfigParams = Type.Object({
  tenantId: Type.String({ maxLength: 64 }),
  formId: Type.String({ maxLength: 64 }),
});
export type FormConfigParams = Static<typeof FormConfigParams>;
