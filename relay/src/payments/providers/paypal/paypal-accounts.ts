import axios, { type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios';
import {
  Client,
  Environment,
  OrdersController,
  PaymentsController,
  type OAuthToken,
} from '@paypal/paypal-server-sdk';
import type { PayPalConfig, PayPalCredentials } from '../../../config.js';
import { RelayError } from '../../../errors.js';

/** A token is renewed this long before PayPal says it expires, so no call carries a dying one. */
const TOKEN_RENEWAL_MARGIN_MS = 60_000;

/** One PayPal REST app (test or live) and the controllers of the real `@paypal/paypal-server-sdk`. */
export interface PayPalAccount {
  livemode: boolean;
  credentials: PayPalCredentials;
  client: Client;
  orders: OrdersController;
  payments: PaymentsController;
  /** How many access tokens this account has fetched (one per expiry, not one per call). */
  tokensFetched(): number;
}

/** The relay's PayPal apps per mode: a live form only reaches the live app, a test form the test app. */
export interface PayPalAccounts {
  accountFor(livemode: boolean): PayPalAccount;
  credentialsFor(livemode: boolean): PayPalCredentials | undefined;
  configuredModes(): PayPalAccount[];
}

export function createPayPalAccounts(config: PayPalConfig, now: () => number = Date.now): PayPalAccounts {
  const accounts = new Map<boolean, PayPalAccount>();
  for (const [livemode, credentials] of [
    [false, config.test],
    [true, config.live],
  ] as const) {
    if (credentials) accounts.set(livemode, createPayPalAccount(credentials, livemode, config, now));
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
  };
}

function createPayPalAccount(
  credentials: PayPalCredentials,
  livemode: boolean,
  config: PayPalConfig,
  now: () => number,
): PayPalAccount {
  let fetched = 0;
  const client = new Client({
    environment: livemode ? Environment.Production : Environment.Sandbox,
    timeout: config.timeoutMs,
    clientCredentialsAuthCredentials: {
      oAuthClientId: credentials.clientId,
      oAuthClientSecret: credentials.clientSecret,
      // The SDK shares one token between the calls of a client; this decides when it is renewed,
      // on the relay's clock (which tests can move).
      oAuthTokenProvider: async (last, manager) => {
        if (last && !expiresSoon(last, now)) return last;
        fetched += 1;
        const token = await manager.fetchToken();
        return { ...token, expiry: BigInt(Math.floor(now() / 1000)) + (token.expiresIn ?? 0n) };
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
  };
}

function expiresSoon(token: OAuthToken, now: () => number): boolean {
  if (token.expiry === undefined) return true;
  return Number(token.expiry) * 1000 - TOKEN_RENEWAL_MARGIN_MS <= now();
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
