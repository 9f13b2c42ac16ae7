import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import Router from '@koa/router';

/**
 * The standalone bundle ships in the package but outside its `exports` map (which has no
 * `./package.json` either), so it is found beside the resolved entry, dist/index.js.
 */
async function readScalarBundle(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve('@scalar/api-reference');
  return readFile(path.join(path.dirname(entry), 'browser/standalone.js'), 'utf8');
}

/** Scalar's options: no fonts from its CDN, no telemetry, no "open in client" button to its site. */
const INIT_SCRIPT = `Scalar.createApiReference('#reference', ${JSON.stringify({
  url: '/v1/openapi.json',
  withDefaultFonts: false,
  telemetry: false,
  hideClientButton: true,
  defaultOpenAllTags: true,
  showDeveloperTools: 'never',
  agent: { disabled: true },
  mcp: { disabled: true },
})});\n`;

/**
 * Only what the page needs, all from the relay itself: two scripts by URL (no inline script, no
 * eval), the OpenAPI document by fetch. Styles may be inline: Scalar's Vue components set style
 * attributes and render theme `<style>` elements that carry no nonce, and a style cannot run code.
 * Everything else stays `'none'` as on the JSON routes.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>OnePagePay relay API reference</title>
  </head>
  <body>
    <div id="reference"></div>
    <script src="/docs/scalar.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
`;

/**
 * Scalar validates with zod, which probes `Function('')` to decide whether to compile validators;
 * under `script-src 'self'` that probe is a CSP violation. zod reads this global config first.
 */
const BUNDLE_PREFIX = 'globalThis.__zod_globalConfig = { jitless: true };\n';

/** `GET /docs`: the API reference rendered from /v1/openapi.json by Scalar, served from node_modules. */
export function apiReferenceRoutes(): Router {
  const router = new Router();
  let bundle: Promise<string> | undefined;
  router.get('/docs', (ctx) => {
    ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    ctx.type = 'text/html';
    ctx.body = PAGE;
  });
  router.get('/docs/scalar.js', async (ctx) => {
    bundle ??= readScalarBundle()
      .then((code) => BUNDLE_PREFIX + code)
      .catch((error: unknown) => {
        bundle = undefined;
        throw error;
      });
    ctx.type = 'text/javascript';
    ctx.body = await bundle;
    ctx.set('Cache-Control', 'public, max-age=3600');
  });
  router.get('/docs/init.js', (ctx) => {
    ctx.type = 'text/javascript';
    ctx.body = INIT_SCRIPT;
  });
  return router;
}
