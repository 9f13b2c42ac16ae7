import Router from '@koa/router';
import { dashboardAssets } from './bundle-dashboard.js';

/**
 * Everything from the relay itself, nothing inline: one script and one stylesheet by URL, data by
 * fetch to the merchant API on the same origin, the 2FA QR code as a data: image.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>OnePagePay dashboard</title>
    <link rel="stylesheet" href="/dashboard/app.css">
    <script type="module" src="/dashboard/app.js"></script>
  </head>
  <body>
    <div id="app"><p>Loading the dashboard…</p></div>
    <noscript><p>The dashboard needs JavaScript.</p></noscript>
  </body>
</html>
`;

/** `GET /dashboard`: the merchant dashboard, a client of the public merchant API only. */
export function dashboardRoutes(): Router {
  const router = new Router();
  router.get('/dashboard', (ctx) => {
    ctx.set('Content-Security-Policy', DASHBOARD_CSP);
    ctx.type = 'text/html';
    ctx.body = PAGE;
  });
  router.get('/dashboard/app.js', async (ctx) => {
    const { script } = await dashboardAssets();
    ctx.type = 'text/javascript';
    ctx.body = script;
  });
  router.get('/dashboard/app.css', async (ctx) => {
    const { style } = await dashboardAssets();
    ctx.type = 'text/css';
    ctx.body = style;
  });
  return router;
}
