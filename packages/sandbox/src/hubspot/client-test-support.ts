import assert from 'node:assert/strict';
import { Client } from '@hubspot/api-client';
import { startHubSpotSandbox, type HubSpotSandbox } from './index.js';

/** What @hubspot/api-client throws for an HTTP error: the status and HubSpot's error body. */
export interface ApiErrorLike {
  code: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/** Runs a client call that must fail and returns the client's ApiException. */
export async function captureApiError(call: () => Promise<unknown>): Promise<ApiErrorLike> {
  try {
    await call();
  } catch (error) {
    return error as ApiErrorLike;
  }
  assert.fail('expected the HubSpot call to fail');
}

/** A fresh sandbox with one portal, and the real client pointed at it with that portal's token. */
export async function startSandboxWithPortal(): Promise<{
  sandbox: HubSpotSandbox;
  portalId: number;
  client: Client;
}> {
  const sandbox = await startHubSpotSandbox();
  const portal = sandbox.createPortal();
  return {
    sandbox,
    portalId: portal.portalId,
    client: new Client({ accessToken: portal.accessToken, basePath: sandbox.url }),
  };
}
