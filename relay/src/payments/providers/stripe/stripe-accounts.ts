import Stripe from 'stripe';
import type { RelayConfig, StripeKeys } from '../../../config.js';
import { RelayError } from '../../../errors.js';
import { StripeUndiciHttpClient } from './stripe-http-client.js';

/** The relay's Stripe clients, one per mode: a live form can only reach live keys, a test form test keys. */
export interface StripeAccounts {
  clientFor(livemode: boolean): Stripe;
  keysFor(livemode: boolean): StripeKeys | undefined;
  /** Every configured mode, for webhook verification and health probes. */
  configuredModes(): Array<{ livemode: boolean; client: Stripe; keys: StripeKeys }>;
  /** Closes the kept-alive connections to Stripe (relay shutdown). */
  close(): Promise<void>;
}

export function createStripeAccounts(config: RelayConfig['stripe']): StripeAccounts {
  // One connection pool for both modes: they reach the same API host.
  const httpClient = new StripeUndiciHttpClient();
  const clients = new Map<boolean, { client: Stripe; keys: StripeKeys }>();
  for (const [livemode, keys] of [
    [false, config.test],
    [true, config.live],
  ] as const) {
    if (keys)
      clients.set(livemode, { client: createStripeClient(keys.secretKey, { ...config, httpClient }), keys });
  }
  return {
    clientFor(livemode) {
      const entry = clients.get(livemode);
      if (!entry) {
        throw new RelayError(
          'provider_unavailable',
          `Stripe ${livemode ? 'live' : 'test'} mode is not configured on this relay.`,
        );
      }
      return entry.client;
    },
    keysFor: (livemode) => clients.get(livemode)?.keys,
    configuredModes: () => [...clients].map(([livemode, entry]) => ({ livemode, ...entry })),
    close: () => httpClient.close(),
  };
}

/** A real `stripe` client; `apiBase` points it at the local sandbox instead of api.stripe.com. */
export function createStripeClient(
  secretKey: string,
  options: {
    apiBase: URL | undefined;
    timeoutMs: number;
    maxNetworkRetries?: number;
    httpClient?: Stripe.HttpClient;
  },
): Stripe {
  const base = options.apiBase;
  return new Stripe(secretKey, {
    ...(options.httpClient ? { httpClient: options.httpClient } : {}),
    timeout: options.timeoutMs,
    maxNetworkRetries: options.maxNetworkRetries ?? 1,
    telemetry: false,
    appInfo: { name: 'OnePagePay relay', url: 'https://github.com/onepagepay/onepagepay' },
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
          protocol: base.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });
}
