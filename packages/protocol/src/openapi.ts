import type { TSchema } from '@sinclair/typebox';
import { ErrorBody } from './errors.js';

export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Koa-style path, e.g. /v1/forms/:tenantId/:formId */
  path: string;
  summary: string;
  tags: string[];
  auth?: 'none' | 'session' | 'api_key' | 'webhook_signature';
  params?: Record<string, TSchema>;
  query?: Record<string, TSchema>;
  body?: TSchema;
  bodyContentType?: string;
  responses: Record<number, { description: string; schema?: TSchema; contentType?: string }>;
}

/** Builds an OpenAPI 3.1 document from route descriptions whose schemas come from this package. */
export function buildOpenApiDocument(info: { title: string; version: string }, routes: RouteDoc[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][route.method] = describeOperation(route);
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { ErrorBody: strip(ErrorBody) },
      securitySchemes: {
        api_key: { type: 'http', scheme: 'bearer', description: 'opp_test_... or opp_live_... API key' },
        session: { type: 'apiKey', in: 'cookie', name: 'opp_session' },
      },
    },
  };
}

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
  const security =
    route.auth === 'api_key' ? [{ api_key: [] }] : route.auth === 'session' ? [{ session: [] }] : undefined;
  return {
    summary: route.summary,
    tags: route.tags,
    ...(security ? { security } : {}),
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
