import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The request a piece of code runs for. The logger reads it on every line, so a log written deep in
 * the payment path carries the same id as the response's X-Request-Id without passing it around.
 */
const requests = new AsyncLocalStorage<{ requestId: string }>();

export function runInRequest<T>(requestId: string, work: () => T): T {
  return requests.run({ requestId }, work);
}

export function currentRequestId(): string | undefined {
  return requests.getStore()?.requestId;
}

/** A proxy's or load balancer's id is kept when it is a plain token; anything else gets our own. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdFrom(header: string | undefined): string {
  return header && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}
