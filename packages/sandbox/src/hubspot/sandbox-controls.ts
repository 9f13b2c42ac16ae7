import { randomUUID } from 'node:crypto';
import { ALL_SCOPES } from './auth.js';
import type { SandboxCore } from './core.js';
import { serializeRecord } from './object-store.js';
import { nextZonedMidnight, type PortalSettings } from './portal-settings.js';
import type { OutageMode, SandboxStats } from './request-handler.js';
import type { RateLimitConfig } from './rate-limit.js';
import {
  createPortalState,
  getObjects,
  getProperties,
  resolveObjectType,
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
  name?: string;
  /**
   * Field names (or `{name, required, hidden}`) the form defines. Left out: the fields of a new
   * HubSpot form (email required, first and last name), which has none of OnePagePay's hidden fields.
   */
  fields?: Array<string | { name: string; required?: boolean; hidden?: boolean }>;
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
  /** Sets what an admin sets in the account: time zone, currencies (company currency first), pipelines. */
  configurePortal(portalId: number, settings: Partial<PortalSettings>): void;
  /** The admin uninstalls the OAuth app: its refresh and access tokens for the portal stop working. */
  uninstallApp(portalId: number): void;
  /** 429 DAILY for this portal only, until `resetAt` (default: next midnight in its time zone). */
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

/** The fields of a form made in HubSpot's editor before anyone changes it. */
const NEW_FORM_FIELDS: NonNullable<CreateFormOptions['fields']> = [
  { name: 'email', required: true },
  'firstname',
  'lastname',
];

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
      const fields = opts.fields ?? NEW_FORM_FIELDS;
      requirePortal(portalId).forms.set(formGuid, {
        formGuid,
        name: opts.name ?? `Form ${formGuid.slice(0, 8)}`,
        fields: fields.map((field) =>
          typeof field === 'string'
            ? { name: field, required: false, hidden: false }
            : { name: field.name, required: field.required === true, hidden: field.hidden === true },
        ),
        ...(opts.inlineMessage === undefined ? {} : { inlineMessage: opts.inlineMessage }),
        ...(opts.redirectUri === undefined ? {} : { redirectUri: opts.redirectUri }),
      });
      return formGuid;
    },
    configurePortal(portalId, settings) {
      const portal = requirePortal(portalId);
      portal.settings = { ...portal.settings, ...structuredClone(settings) };
    },
    uninstallApp(portalId) {
      for (const record of core.refreshTokens.values()) {
        if (record.portalId === portalId) record.revoked = true;
      }
      for (const [key, token] of core.tokens) {
        if (token.portalId === portalId && token.kind === 'oauth') core.tokens.delete(key);
      }
    },
    expireToken(accessToken) {
      const token = core.tokens.get(accessToken);
      if (token === undefined) throw new Error('expireToken: the sandbox never issued this token');
      token.expiresAt = Math.min(token.expiresAt ?? Infinity, core.clock());
    },
    exhaustDailyLimit(portalId, resetAt) {
      requirePortal(portalId).dailyExhaustedUntil =
        resetAt?.getTime() ?? nextZonedMidnight(core.clock(), requirePortal(portalId).settings.timeZone);
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
