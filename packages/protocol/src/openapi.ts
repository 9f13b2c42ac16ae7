import type { TSchema } from '@sinclair/typebox';
import { ErrorBody } from './errors.js';

export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Koa-style path, e.g. /v1/forms/:tenantId/:formId */
  path: string;
  /** Unique across the document, camelCase: what generated clients name the method. */
  operationId: string;
  summary: string;
  tags: string[];
  /** Who may call it; public routes (the default) need no credentials and say so with `security: []`. */
  auth?: 'none' | 'session' | 'api_key' | 'api_key_or_session' | 'webhook_signature';
  params?: Record<string, TSchema>;
  query?: Record<string, TSchema>;
  body?: TSchema;
  bodyContentType?: string;
  responses: Record<number, { description: string; schema?: TSchema; contentType?: string }>;
  /** Superseded: still answered within this API version, with a `Deprecation` header; see the summary. */
  deprecated?: boolean;
}

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

/**
 * Builds an OpenAPI 3.1 document from route descriptions whose schemas come from this package.
 * `servers` defaults to the host that serves the document (a relative URL), since one relay build
 * runs under many hostnames.
 */
export function buildOpenApiDocument(
  info: OpenApiInfo,
  routes: RouteDoc[],
  servers: Array<{ url: string; description?: string }> = [
    { url: '/', description: 'The relay that serves this document' },
  ],
) {
  const paths: Record<string, Record<string, unknown>> = {};
  const operationIds = new Set<string>();
  for (const route of routes) {
    if (operationIds.has(route.operationId)) throw new Error(`Duplicate operationId ${route.operationId}`);
    operationIds.add(route.operationId);
    const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][route.method] = describeOperation(route);
  }
  return {
    openapi: '3.1.0',
    info: { ...info, license: { name: 'MIT', identifier: 'MIT' } },
    servers,
    paths,
    components: {
      schemas: { ErrorBody: strip(ErrorBody) },
      securitySchemes: {
        api_key: { type: 'http', scheme: 'bearer', description: 'opp_test_... or opp_live_... API key' },
        session: { type: 'apiKey', in: 'cookie', name: 'opp_session' },
        stripe_signature: {
          type: 'apiKey',
          in: 'header',
          name: 'Stripe-Signature',
          description: "Stripe's signature of the raw body with the endpoint's signing secret",
        },
      },
    },
  };
}

const SECURITY: Record<NonNullable<RouteDoc['auth']>, Array<Record<string, string[]>>> = {
  none: [],
  session: [{ session: [] }],
  api_key: [{ api_key: [] }],
  api_key_or_session: [{ api_key: [] }, { session: [] }],
  webhook_signature: [{ stripe_signature: [] }],
};

function describeOperation(route: RouteDoc) {
  const parameters = [
    ...Object.entries(route.params ?? {}).map(([name, schema]) => ({
      name,
      in: 'path',
      required: true,
      schema: strip(schema),
    })),
    ...Object.entries(route.query ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: false,
      schema: strip(schema),
    })),
  ];
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: route.tags,
    security: SECURITY[route.auth ?? 'none'],
    ...(route.deprecated ? { deprecated: true } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { [route.bodyContentType ?? 'application/json']: { schema: strip(route.body) } },
          },
        }
      : {}),
    responses: Object.fromEntries(
      Object.entries(route.responses).map(([status, response]) => [
        status,
        {
          description: response.description,
          ...(response.schema || Number(status) >= 400
            ? {
                content: {
                  [response.contentType ?? 'application/json']: {
                    schema: response.schema
                      ? strip(response.schema)
                      : { $ref: '#/components/schemas/ErrorBody' },
                  },
                },
              }
            : {}),
        },
      ]),
    ),
  };
}

/** TypeBox schemas are JSON Schema already; JSON round-tripping drops its symbol-keyed metadata. */
function strip(schema: TSchema): unknown {
  const { $id: _id, ...rest } = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
  return rest;
}
