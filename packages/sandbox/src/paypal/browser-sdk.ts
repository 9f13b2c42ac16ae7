import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { browserFakePath } from '../browser/paths.js';
import type { RequestContext } from './handle-request.js';

/**
 * GET /sdk/js?client-id=…: the fake of PayPal's JS SDK, where `@paypal/paypal-js` looks for
 * www.paypal.com/sdk/js. Like PayPal, an unknown or missing client id is a 400 whose body is a
 * script that throws, so the page's script tag fails to load; a currency PayPal does not take too.
 */
export async function serveBrowserSdk(
  context: RequestContext,
  request: IncomingMessage,
  response: ServerResponse,
) {
  const query = new URL(request.url ?? '/', 'http://sandbox').searchParams;
  const clientId = query.get('client-id');
  const currency = query.get('currency');
  let problem: string | null = null;
  if (!clientId) problem = 'client-id not recognized for either production or sandbox: undefined';
  else if (clientId !== context.credentials.clientId)
    problem = `client-id not recognized for either production or sandbox: ${clientId}`;
  else if (currency !== null && !/^[A-Z]{3}$/.test(currency)) problem = `currency not supported: ${currency}`;
  if (problem) {
    response.writeHead(400, { 'Content-Type': 'application/javascript' });
    response.end(`throw new Error(${JSON.stringify(`SDK Validation error: '${problem}'`)});\n`);
    return;
  }
  const code = await readFile(browserFakePath('paypal.js'), 'utf8');
  response.writeHead(200, { 'Content-Type': 'application/javascript', 'Cache-Control': 'no-store' });
  response.end(code);
}
