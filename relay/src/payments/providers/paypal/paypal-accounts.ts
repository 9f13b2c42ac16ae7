import axios, { type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios';
import { Client, Environment, OrdersController, PaymentsController } from '@paypal/paypal-server-sdk';
import type { PayPalConfig, PayPalCredentials } from '../../../config.js';
import { RelayError } from '../../../errors.js';

const TOKEN_RENEWAL_MARGIN_SECONDS = 60;

/** One PayPal REST app (test or live) and the controllers of the real `@paypal/paypal-server-sdk`. */
export interface PayPalAccount {
  livemode: boolean;
  credentials: PayPalCredentials;
  client: Client;
  orders: OrdersController;
  payments: PaymentsController;
  /** How many access tokens this account has fetched (one per expiry, not one per call). */
  tokensFetched(): number;
  /** A cheap authenticated call (a fresh client-credentials token) for the public status route. */
  probeHealth(): Promise<unknown>;
}

/** The relay's PayPal apps per mode: a live form only reaches the live app, a test form the test app. */
export interface PayPalAccounts {
  accountFor(livemode: boolean): PayPalAccount;
  credentialsFor(livemode: boolean): PayPalCredentials | undefined;
  configuredModes(): PayPalAccount[];
  /**
   * Where browsers load PayPal's JS SDK: only set when PAYPAL_API_BASE points the relay at the
   * sandbox fake, which serves its fake of the JS SDK at /sdk/js; otherwise www.paypal.com.
   */
  jsSdkUrl(): string | undefined;
}

export function createPayPalAccounts(config: PayPalConfig): PayPalAccounts {
  const accounts = new Map<boolean, PayPalAccount>();
  for (const [livemode, credentials] of [
    [false, config.test],
    [true, config.live],
  ] as const) {
    if (credentials) accounts.set(livemode, createPayPalAccount(credentials, livemode, config));
  }
  return {
    accountFor(livemode) {
      const account = accounts.get(livemode);
      if (!account) {
        throw new RelayError(
          'provider_unavailable',
          `PayPal ${livemode ? 'live' : 'test'} mode is not configured on this relay.`,
        );
      }
      return account;
    },
    credentialsFor: (livemode) => accounts.get(livemode)?.credentials,
    configuredModes: () => [...accounts.values()],
    jsSdkUrl: () => (config.apiBase ? new URL('/sdk/js', config.apiBase).toString() : undefined),
  };
}

function createPayPalAccount(
  credentials: PayPalCredentials,
  livemode: boolean,
  config: PayPalConfig,
): PayPalAccount {
  let fetched = 0;
  const client = new Client({
    environment: livemode ? Environment.Production : Environment.Sandbox,
    timeout: config.timeoutMs,
    clientCredentialsAuthCredentials: {
      oAuthClientId: credentials.clientId,
      oAuthClientSecret: credentials.clientSecret,
      // The SDK shares one token between the calls of a client and fetches a new one this many
      // seconds before PayPal says it expires, so no call carries a dying token.
      oAuthClockSkew: TOKEN_RENEWAL_MARGIN_SECONDS,
      oAuthOnTokenUpdate: () => {
        fetched += 1;
      },
    },
    ...(config.apiBase ? { unstable_httpClientOptions: { adapter: rebasedAdapter(config.apiBase) } } : {}),
  });
  return {
    livemode,
    credentials,
    client,
    orders: new OrdersController(client),
    payments: new PaymentsController(client),
    tokensFetched: () => fetched,
    probeHealth: () => client.clientCredentialsAuthManager.fetchToken(),
  };
}

/**
 * The SDK only knows PayPal's two hosts; its axios adapter is wrapped to send the same requests to
 * `apiBase` (the sandbox fake in tests and `npm start`) instead.
 */
function rebasedAdapter(apiBase: URL): AxiosAdapter {
  const send = axios.getAdapter(axios.defaults.adapter);
  const base = apiBase.toString().replace(/\/$/, '');
  return (request: InternalAxiosRequestConfig) => {
    const target = new URL(request.url ?? '/', 'https://api-m.paypal.com');
    return send({ ...request, url: `${base}${target.pathname}${target.search}` });
  };
}
