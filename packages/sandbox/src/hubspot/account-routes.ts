import type { Route, RouteContext } from './core.js';
import { createApiError, toIso, type HubSpotReply } from './http-kit.js';
import { offsetAt, type Pipeline } from './portal-settings.js';

/** `GET /account-info/v3/details`: time zone and currencies as the account's settings hold them. */
function describeAccount(ctx: RouteContext): HubSpotReply {
  const { settings } = ctx.portal;
  const offsetMs = offsetAt(ctx.now, settings.timeZone);
  const sign = offsetMs < 0 ? '-' : '+';
  const minutes = Math.abs(offsetMs) / 60_000;
  const utcOffset = `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return {
    status: 200,
    body: {
      portalId: ctx.portal.id,
      accountType: 'STANDARD',
      timeZone: settings.timeZone,
      companyCurrency: settings.currencies[0] ?? 'USD',
      additionalCurrencies: settings.currencies.slice(1),
      utcOffset,
      utcOffsetMilliseconds: offsetMs,
      uiDomain: 'app.hubspot.com',
      dataHostingLocation: 'na1',
    },
  };
}

function serializePipeline(pipeline: Pipeline): Record<string, unknown> {
  const stamp = toIso(0);
  return {
    id: pipeline.id,
    label: pipeline.label,
    displayOrder: pipeline.displayOrder,
    createdAt: stamp,
    updatedAt: stamp,
    archived: false,
    stages: pipeline.stages.map((stage) => ({
      ...stage,
      createdAt: stamp,
      updatedAt: stamp,
      archived: false,
      writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
    })),
  };
}

function requireDeals(ctx: RouteContext): void {
  const type = (ctx.req.params['objectType'] ?? '').toLowerCase();
  if (!['deals', 'deal', '0-3'].includes(type)) {
    throw createApiError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${type}`);
  }
}

function listPipelines(ctx: RouteContext): HubSpotReply {
  requireDeals(ctx);
  return { status: 200, body: { results: ctx.portal.settings.pipelines.map(serializePipeline) } };
}

function getPipeline(ctx: RouteContext): HubSpotReply {
  requireDeals(ctx);
  const id = ctx.req.params['pipelineId'] ?? '';
  const pipeline = ctx.portal.settings.pipelines.find((candidate) => candidate.id === id);
  if (pipeline === undefined) {
    throw createApiError(404, 'OBJECT_NOT_FOUND', `Unable to find pipeline with id ${id}`);
  }
  return { status: 200, body: serializePipeline(pipeline) };
}

export const accountRoutes: Route[] = [
  { method: 'GET', pattern: '/account-info/v3/details', auth: 'token', handle: describeAccount },
  { method: 'GET', pattern: '/crm/v3/pipelines/:objectType', auth: 'token', handle: listPipelines },
  { method: 'GET', pattern: '/crm/v3/pipelines/:objectType/:pipelineId', auth: 'token', handle: getPipeline },
];
