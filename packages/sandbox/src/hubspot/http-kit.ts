import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A parsed request as the route handlers see it. */
export interface HubSpotRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: string;
  params: Record<string, string>;
}

/** What a handler answers; the server adds rate-limit headers and writes it. */
export interface HubSpotReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send `body` as is (a string) with this content type instead of JSON. */
  contentType?: string;
}

/** Thrown by handlers to answer with HubSpot's error body. */
export class HubSpotHttpError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    super(String(body['message'] ?? status));
    this.name = 'HubSpotHttpError';
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** The correlation id HubSpot puts on every error body (a UUID). */
export function createCorrelationId(): string {
  return randomUUID();
}

/** HubSpot's standard CRM error body: `{status:'error', message, correlationId, category, ...}`. */
export function createApiError(
  status: number,
  category: string,
  message: string,
  extra: Record<string, unknown> = {},
): HubSpotHttpError {
  return new HubSpotHttpError(status, {
    status: 'error',
    message,
    correlationId: createCorrelationId(),
    category,
    ...extra,
  });
}

export function createValidationError(
  message: string,
  extra: Record<string, unknown> = {},
): HubSpotHttpError {
  return createApiError(400, 'VALIDATION_ERROR', message, extra);
}

export function createNotFoundError(id: string): HubSpotHttpError {
  return createApiError(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', {
    context: { id: [id] },
  });
}

/** Parses the JSON body, answering HubSpot's 400 for malformed JSON. */
export function readJsonBody(req: HubSpotRequest): Record<string, unknown> {
  if (req.rawBody.trim() === '') {
    throw createValidationError('Invalid input JSON: No content to map due to end-of-input');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.rawBody);
  } catch (error) {
    throw createValidationError(`Invalid input JSON on line 1: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object') {
    throw createValidationError('Invalid input JSON: expected an object');
  }
  return parsed as Record<string, unknown>;
}

/** Reads the whole request body as text. */
export function readRawBody(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    incoming.on('error', reject);
  });
}

export function writeReply(res: ServerResponse, reply: HubSpotReply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload = '';
  if (reply.body !== undefined) {
    if (reply.contentType !== undefined) {
      headers['Content-Type'] = reply.contentType;
      payload = String(reply.body);
    } else {
      headers['Content-Type'] = 'application/json;charset=utf-8';
      payload = JSON.stringify(reply.body);
    }
  }
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** Turns an ISO timestamp out of a clock value, the way every HubSpot date is serialised. */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
