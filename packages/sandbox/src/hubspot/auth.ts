import type { IncomingMessage } from 'node:http';
import type { SandboxCore } from './core.js';
import { createApiError, createCorrelationId, HubSpotHttpError, toIso } from './http-kit.js';
import { resolveObjectType, type TokenRecord } from './state.js';

/** A token holding this scope may call anything (private apps created by `createPortal`). */
export const ALL_SCOPES = '*';

const NOT_FOUND_MESSAGE =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

/** Resolves the Bearer token, answering HubSpot's 401 bodies for a missing, unknown or expired one. */
export function authenticate(
  core: SandboxCore,
  headers: IncomingMessage['headers'],
  now: number,
): TokenRecord {
  const match = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  const token = match === null ? undefined : core.tokens.get(match[1] as string);
  if (token === undefined) throw createApiError(401, 'INVALID_AUTHENTICATION', NOT_FOUND_MESSAGE);
  const expiredAt = token.expiresAt ?? Infinity;
  if (expiredAt <= now) {
    const seconds = Math.max(0, Math.floor((now - expiredAt) / 1000));
    throw createApiError(
      401,
      'EXPIRED_AUTHENTICATION',
      `The OAuth token used to make this call expired ${seconds} second(s) ago.`,
      { context: { 'expire time': [toIso(expiredAt)] } },
    );
  }
  return token;
}

/** The granular scope HubSpot requires for a call, or undefined when the sandbox does not check one. */
export function findRequiredScope(method: string, path: string): string | undefined {
  const segments = path.split('/').filter((segment) => segment !== '');
  const isRead =
    method === 'GET' ||
    segments.at(-1) === 'search' ||
    (segments.at(-2) === 'batch' && segments.at(-1) === 'read');
  const mode = isRead ? 'read' : 'write';
  if (segments[0] === 'submissions' || segments[0] === 'form-integrations') return 'forms';
  if (segments[0] !== 'crm') return undefined;
  const [, version, area, typeSegment] = segments;
  const type = resolveObjectType(typeSegment ?? '');
  if (type === undefined) return undefined;
  if (area === 'properties') return `crm.schemas.${type}.${mode}`;
  if (area === 'objects' || (version === 'v4' && area === 'associations'))
    return `crm.objects.${type}.${mode}`;
  return undefined;
}

/** HubSpot's 403 for a token that lacks the scope a call needs. */
export function checkScope(token: TokenRecord, method: string, path: string): void {
  if (token.scopes.includes(ALL_SCOPES)) return;
  const scope = findRequiredScope(method, path);
  if (scope === undefined || token.scopes.includes(scope)) return;
  throw new HubSpotHttpError(403, {
    status: 'error',
    message:
      "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    correlationId: createCorrelationId(),
    errors: [
      {
        message: 'One or more of the following scopes are required.',
        context: { requiredGranularScopes: [scope] },
      },
    ],
    links: { scopes: 'https://developers.hubspot.com/scopes' },
    category: 'MISSING_SCOPES',
  });
}
