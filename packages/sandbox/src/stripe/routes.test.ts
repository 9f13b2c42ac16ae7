import assert from 'node:assert/strict';
import { matchRoute, ROUTES } from './routes.js';

/** What matchRoute must answer: the first route, in order, whose method and pattern match. */
function firstMatch(method: string, path: string) {
  for (const route of ROUTES) {
    const match = route.method === method ? route.pattern.exec(path) : null;
    if (match) return { route, ids: match.slice(1) };
  }
  return undefined;
}

describe('Stripe sandbox: routes', () => {
  it('answers every path with the first route that matches it, fixed paths included', () => {
    const paths = ROUTES.flatMap((route) => [route.path, route.path.replaceAll(':id', 'search')]);
    paths.push('/v1/customers/cus_1', '/v1/nope', '/v1/customers/', '/v1/payment_intents/pi_1/confirm');
    for (const method of ['GET', 'POST', 'DELETE']) {
      for (const path of paths)
        assert.deepEqual(matchRoute(method, path), firstMatch(method, path), `${method} ${path}`);
    }
  });
});
