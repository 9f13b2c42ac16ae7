import getRawBody from 'raw-body';
import type { Context } from 'koa';
import type { TSchema, Static } from '@sinclair/typebox';
import { validate } from '@onepagepay/protocol';
import { RelayError } from '../errors.js';

export const MAX_JSON_BODY_BYTES = 100 * 1024;

/** Reads the raw body with a size cap; the webhook route needs the exact bytes for its signature. */
export async function readRawBody(ctx: Context, limitBytes: number): Promise<Buffer> {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limitBytes) {
    throw new RelayError('payload_too_large', `The request body is larger than ${limitBytes} bytes.`);
  }
  try {
    return await getRawBody(ctx.req, { limit: limitBytes, length: ctx.get('content-length') || undefined });
  } catch (error) {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') {
      throw new RelayError('payload_too_large', `The request body is larger than ${limitBytes} bytes.`);
    }
    throw new RelayError('invalid_request', 'The request body could not be read.', { cause: error });
  }
}

/**
 * Reads, parses and validates a JSON body against a protocol schema. `beacon` also takes JSON sent
 * as text/plain: what `navigator.sendBeacon` and a keepalive `fetch` send without a CORS preflight,
 * so a report made while the page navigates away still leaves the browser.
 */
export async function readJsonBody<S extends TSchema>(
  ctx: Context,
  schema: S,
  options: { beacon?: boolean } = {},
): Promise<Static<S>> {
  if (!ctx.is('application/json') && !(options.beacon && ctx.is('text/plain'))) {
    throw new RelayError('unsupported_media_type', 'Send the body as application/json.');
  }
  const raw = await readRawBody(ctx, MAX_JSON_BODY_BYTES);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new RelayError('invalid_json', 'The request body is not valid JSON.');
  }
  return validateInput(schema, parsed);
}

export function validateInput<S extends TSchema>(schema: S, value: unknown): Static<S> {
  const outcome = validate(schema, value);
  if (!outcome.ok) {
    const first = outcome.issues[0];
    // The one field a payer types that the relay checks: the SDK shows this message as it is, so it
    // is HubSpot's own, and the payer corrects the email before anything is charged.
    if (first?.path === '/contact/email') {
      throw new RelayError('invalid_email', 'Email must be formatted correctly.', {
        details: outcome.issues,
      });
    }
    throw new RelayError('invalid_request', `Invalid request: ${first?.path} ${first?.message}.`, {
      details: outcome.issues,
    });
  }
  return outcome.value;
}
