import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { TenantScope } from '../db/tenant-scope.js';

/**
 * The request a piece of code runs for. The logger reads it on every line, so a log written deep in
 * the payment path carries the same id as the response's X-Request-Id without passing it around.
 * The tenant is noted where the code that serves the request learns it, so an error report can
 * name it without the error boundary knowing how each route finds its tenant.
 */
interface RequestContext {
  requestId: string;
  tenant?: TenantScope;
}

const requests = new AsyncLocalStorage<RequestContext>();

export function runInRequest<T>(requestId: string, work: () => T): T {
  return requests.run({ requestId }, work);
}

export function currentRequestId(): string | undefined {
  return requests.getStore()?.requestId;
}

/** Records which tenant and mode the current request works for (a no-op outside a request). */
export function noteRequestTenant(scope: TenantScope): void {
  const context = requests.getStore();
  if (context) context.tenant = { tenantId: scope.tenantId, livemode: scope.livemode };
}

export function currentRequestTenant(): TenantScope | undefined {
  return requests.getStore()?.tenant;
}

/** A proxy's or load balancer's id is kept when it is a plain token; anything else gets our own. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdFrom(header: string | undefined): string {
  return header && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}
