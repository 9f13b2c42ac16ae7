import { randomUUID } from 'node:crypto';
import { ALL_SCOPES } from './auth.js';
import type { SandboxCore } from './core.js';
import { serializeRecord } from './object-store.js';
import type { OutageMode, SandboxStats } from './request-handler.js';
import type { RateLimitConfig } from './rate-limit.js';
import {
  createPortalState,
  getObjects,
  getProperties,
  resolveObjectType,
  startOfUtcDay,
  type FormSubmission,
  type ObjectTypeName,
  type Portal,
  type PropertyDefinition,
} from './state.js';

/** A CRM record as HubSpot serialises it (`SimplePublicObject`). */
export interface SimplePublicObjectLike {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface SandboxAssociation {
  fromType: string;
  fromId: string;
  toType: string;
  toId: string;
  typeId: number;
  category: string;
}

export interface CreateFormOptions {
  formGuid?: string;
  /** Field names (or `{name, required}`) the form defines; leave out to accept any field. */
  fields?: Array<string | { name: string; required?: boolean }>;
  inlineMessage?: string;
  redirectUri?: string;
}

/** A running HubSpot sandbox and the controls tests use to arrange and inspect it. */
export interface HubSpotSandbox {
  url: string;
  port: number;
  /** OAuth app credentials the sandbox accepts at /oauth/v1/token. */
  oauthApp: { clientId: string; clientSecret: string };
  /** Creates a portal with a private-app token (for an existing `portalId`: another private app). */
  createPortal(opts?: { portalId?: number }): { portalId: number; accessToken: string };
  /** Defines a form that /submissions/v3 accepts; returns its GUID. */
  createForm(portalId: number, opts?: CreateFormOptions): string;
  /** Mints an OAuth authorization code for a portal, as if a user installed the app. */
  authorize(portalId: number, opts?: { scopes?: string[]; redirectUri?: string }): string;
  /** `down`: every call answers `status` (default 503; 502 is Cloudflare HTML; 0 drops the connection). */
  setOutage(mode: OutageMode, opts?: { slowMs?: number; status?: number }): void;
  /** Later calls with this token get 401 EXPIRED_AUTHENTICATION. */
  expireToken(accessToken: string): void;
  /** 429 DAILY for this portal only, until `resetAt` (default: next UTC midnight). */
  exhaustDailyLimit(portalId: number, resetAt?: Date): void;
  setRateLimit(limit: RateLimitConfig): void;
  contacts(portalId: number): SimplePublicObjectLike[];
  deals(portalId: number): SimplePublicObjectLike[];
  lineItems(portalId: number): SimplePublicObjectLike[];
  objects(portalId: number, objectType: string): SimplePublicObjectLike[];
  associations(portalId: number): SandboxAssociation[];
  formSubmissions(portalId: number, formGuid?: string): FormSubmission[];
  properties(portalId: number, objectType: string): PropertyDefinition[];
  stats(): SandboxStats;
  resetStats(): void;
  close(): Promise<void>;
}

type Controls = Omit<
  HubSpotSandbox,
  'url' | 'port' | 'oauthApp' | 'authorize' | 'setOutage' | 'setRateLimit' | 'stats' | 'resetStats' | 'close'
>;

/** The controls that only read or change state (no server, limiter or outage involved). */
export function createSandboxControls(core: SandboxCore): Controls {
  const requirePortal = (portalId: number): Portal => {
    const portal = core.portals.get(portalId);
    if (portal === undefined)
      throw new Error(`No portal ${portalId} in the HubSpot sandbox: call createPortal() first`);
    return portal;
  };
  const requireType = (objectType: string): ObjectTypeName => {
    const type = resolveObjectType(objectType);
    if (type === undefined) throw new Error(`Unknown object type "${objectType}"`);
    return type;
  };
  const listObjects = (portalId: number, objectType: string): SimplePublicObjectLike[] => {
    const type = requireType(objectType);
    return [...getObjects(requirePortal(portalId), type).values()]
      .filter((record) => !record.archived)
      .map((record) => serializeRecord(record, type, 'written') as unknown as SimplePublicObjectLike);
  };

  return {
    createPortal(opts = {}) {
      const portalId = opts.portalId ?? core.nextPortalId++;
      if (!core.portals.has(portalId)) core.portals.set(portalId, createPortalState(portalId, core.clock()));
      const accessToken = `pat-na1-${randomUUID()}`;
      const appId = core.nextAppId++;
      core.tokens.set(accessToken, {
        token: accessToken,
        portalId,
        kind: 'private',
        appKey: `private:${appId}`,
        appId,
        scopes: [ALL_SCOPES],
      });
      return { portalId, accessToken };
    },
    createForm(portalId, opts = {}) {
      const formGuid = opts.formGuid ?? randomUUID();
      requirePortal(portalId).forms.set(formGuid, {
        formGuid,
        ...(opts.fields === undefined
          ? {}
          : {
              fields: opts.fields.map((field) =>
                typeof field === 'string'
                  ? { name: field, required: false }
                  : { name: field.name, required: field.required === true },
              ),
            }),
        ...(opts.inlineMessage === undefined ? {} : { inlineMessage: opts.inlineMessage }),
        ...(opts.redirectUri === undefined ? {} : { redirectUri: opts.redirectUri }),
      });
      return formGuid;
    },
    expireToken(accessToken) {
      const token = core.tokens.get(accessToken);
      if (token === undefined) throw new Error('expireToken: the sandbox never issued this token');
      token.expiresAt = Math.min(token.expiresAt ?? Infinity, core.clock());
    },
    exhaustDailyLimit(portalId, resetAt) {
      requirePortal(portalId).dailyExhaustedUntil =
        resetAt?.getTime() ?? startOfUtcDay(core.clock()) + 86_400_000;
    },
    contacts: (portalId) => listObjects(portalId, 'contacts'),
    deals: (portalId) => listObjects(portalId, 'deals'),
    lineItems: (portalId) => listObjects(portalId, 'line_items'),
    objects: listObjects,
    associations(portalId) {
      return requirePortal(portalId).associations.map((edge) => ({ ...edge }));
    },
    formSubmissions(portalId, formGuid) {
      return requirePortal(portalId)
        .submissions.filter((submission) => formGuid === undefined || submission.formGuid === formGuid)
        .map((submission) => structuredClone(submission));
    },
    properties(portalId, objectType) {
      return [...getProperties(requirePortal(portalId), requireType(objectType)).values()]
        .filter((property) => !property.archived)
        .map((property) => ({ ...property }));
    },
  };
}
