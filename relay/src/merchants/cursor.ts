import { createHash } from 'node:crypto';
import type { TenantScope } from '../db/tenant-scope.js';
import { RelayError } from '../errors.js';
import { isUuid } from '../ids.js';

/** A position in a newest-first listing: the created_at (exact, as PostgreSQL text) and id of the last row. */
export interface Position {
  createdAt: string;
  id: string;
}

/**
 * Cursors are opaque to clients and bound to one tenant and mode: a cursor carried over from
 * another tenant or mode decodes to "no position" and the caller answers with an empty page.
 */
export function encodeCursor(scope: TenantScope, position: Position): string {
  return Buffer.from(JSON.stringify({ a: position.createdAt, i: position.id, s: scopeTag(scope) })).toString(
    'base64url',
  );
}

export function decodeCursor(
  scope: TenantScope,
  cursor: string | undefined,
): Position | 'foreign' | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let parsed: { a?: unknown; i?: unknown; s?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    throw invalidCursor();
  }
  if (
    typeof parsed.a !== 'string' ||
    typeof parsed.i !== 'string' ||
    typeof parsed.s !== 'string' ||
    !isUuid(parsed.i) ||
    !/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/.test(parsed.a)
  ) {
    throw invalidCursor();
  }
  if (parsed.s !== scopeTag(scope)) return 'foreign';
  return { createdAt: parsed.a, id: parsed.i };
}

function scopeTag(scope: TenantScope): string {
  return createHash('sha256')
    .update(`${scope.tenantId}:${scope.livemode ? 'live' : 'test'}`)
    .digest('base64url')
    .slice(0, 12);
}

function invalidCursor(): RelayError {
  return new RelayError(
    'invalid_request',
    'cursor is not a cursor this API returned. Start again without it.',
  );
}
