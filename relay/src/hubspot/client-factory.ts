import { Client } from '@hubspot/api-client';

export interface HubSpotClientOptions {
  accessToken?: string;
  /** Sees the headers of every CRM response (success or error), for the rate limiter. */
  onResponse?: (status: number, headers: Record<string, string>) => void;
}

/** Makes `@hubspot/api-client` clients; injected so tests and the bench point them at the sandbox. */
export type HubSpotClientFactory = (options: HubSpotClientOptions) => Client;

/**
 * The real client, with its own retries off: the worker decides about 429s, 5xx and 401s itself
 * (the client's retry ignores Retry-After and cannot pause one tenant).
 */
export function createHubSpotClientFactory(apiBase: URL | undefined): HubSpotClientFactory {
  return (options) =>
    new Client({
      ...(options.accessToken ? { accessToken: options.accessToken } : {}),
      ...(apiBase ? { basePath: apiBase.toString().replace(/\/$/, '') } : {}),
      numberOfApiCallRetries: 0,
      ...(options.onResponse
        ? {
            middleware: [
              {
                pre: (context: unknown) => context,
                post: (context: unknown) => {
                  const response = context as { httpStatusCode: number; headers: Record<string, string> };
                  options.onResponse?.(response.httpStatusCode, response.headers);
                  return context;
                },
              },
            ],
          }
        : {}),
    });
}
