import { createAccount, retrieveAccount, retrieveBalance } from './accounts.js';
import { listCharges, retrieveCharge } from './charges.js';
import { createConfirmationToken, retrieveConfirmationToken } from './confirmation-tokens.js';
import type { Handler } from './context.js';
import {
  createCustomer,
  deleteCustomer,
  listCustomers,
  retrieveCustomer,
  searchCustomers,
  updateCustomer,
} from './customers.js';
import { createDispute, retrieveDispute, updateDispute } from './disputes.js';
import { listEvents, retrieveEvent } from './events.js';
import {
  cancelPaymentIntent,
  confirmPaymentIntent,
  createPaymentIntent,
  listPaymentIntents,
  retrievePaymentIntent,
  updatePaymentIntent,
} from './payment-intents.js';
import {
  attachPaymentMethod,
  createPaymentMethod,
  retrievePaymentMethod,
  updatePaymentMethod,
} from './payment-methods.js';
import { createRefund, listRefunds, retrieveRefund } from './refunds.js';
import { searchHandler } from './search.js';
import { completeThreeDSecure } from './three-d-secure.js';

/** `GET /v1/payment_intents/search`: `status`, `currency`, `customer` and `metadata['k']` clauses. */
const searchPaymentIntents = searchHandler(
  '/v1/payment_intents/search',
  ['status', 'currency', 'customer'],
  (ctx) => ctx.ledger.paymentIntents.values(),
);

/** `secret`: secret keys only; `publishable`: Stripe.js calls, which publishable keys may make too. */
export type Access = 'secret' | 'publishable';

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  pattern: RegExp;
  access: Access;
  handler: Handler;
}

const ID = '([A-Za-z0-9_]+)';

function route(method: Route['method'], path: string, handler: Handler, access: Access = 'secret'): Route {
  return { method, path, pattern: new RegExp(`^${path.replaceAll(':id', ID)}$`), access, handler };
}

export const ROUTES: readonly Route[] = [
  route('POST', '/v1/payment_methods', createPaymentMethod, 'publishable'),
  route('GET', '/v1/payment_methods/:id', retrievePaymentMethod),
  route('POST', '/v1/payment_methods/:id', updatePaymentMethod),
  route('POST', '/v1/payment_methods/:id/attach', attachPaymentMethod),
  route('POST', '/v1/confirmation_tokens', createConfirmationToken, 'publishable'),
  route('GET', '/v1/confirmation_tokens/:id', retrieveConfirmationToken),
  route('POST', '/v1/customers', createCustomer),
  route('GET', '/v1/customers', listCustomers),
  route('GET', '/v1/customers/search', searchCustomers),
  route('GET', '/v1/customers/:id', retrieveCustomer),
  route('POST', '/v1/customers/:id', updateCustomer),
  route('DELETE', '/v1/customers/:id', deleteCustomer),
  route('POST', '/v1/payment_intents', createPaymentIntent),
  route('GET', '/v1/payment_intents', listPaymentIntents),
  route('GET', '/v1/payment_intents/search', searchPaymentIntents),
  route('GET', '/v1/payment_intents/:id', retrievePaymentIntent, 'publishable'),
  route('POST', '/v1/payment_intents/:id', updatePaymentIntent),
  route('POST', '/v1/payment_intents/:id/confirm', confirmPaymentIntent, 'publishable'),
  route('POST', '/v1/payment_intents/:id/cancel', cancelPaymentIntent),
  route('POST', '/v1/payment_intents/:id/sandbox_3ds', completeThreeDSecure, 'publishable'),
  route('GET', '/v1/charges', listCharges),
  route('GET', '/v1/charges/:id', retrieveCharge),
  route('POST', '/v1/refunds', createRefund),
  route('GET', '/v1/refunds', listRefunds),
  route('GET', '/v1/refunds/:id', retrieveRefund),
  route('GET', '/v1/disputes/:id', retrieveDispute),
  route('POST', '/v1/disputes/:id', updateDispute),
  route('POST', '/v1/test_helpers/sandbox/disputes', createDispute),
  route('GET', '/v1/balance', retrieveBalance),
  route('GET', '/v1/events', listEvents),
  route('GET', '/v1/events/:id', retrieveEvent),
  route('POST', '/v1/accounts', createAccount),
  route('GET', '/v1/accounts/:id', retrieveAccount),
  route('GET', '/v1/account', retrieveAccount),
];

// Routes without ids, found by one lookup instead of trying each pattern in turn; a path an earlier
// route's pattern also matches stays with the scan, which answers with that earlier route.
const FIXED_ROUTES = new Map(
  ROUTES.filter(
    (candidate, index) =>
      !candidate.path.includes(':id') &&
      !ROUTES.slice(0, index).some(
        (earlier) => earlier.method === candidate.method && earlier.pattern.test(candidate.path),
      ),
  ).map((candidate) => [`${candidate.method} ${candidate.path}`, candidate]),
);

export function matchRoute(method: string, path: string): { route: Route; ids: string[] } | undefined {
  const fixed = FIXED_ROUTES.get(`${method} ${path}`);
  if (fixed) return { route: fixed, ids: [] };
  for (const candidate of ROUTES) {
    if (candidate.method !== method) continue;
    const match = candidate.pattern.exec(path);
    if (match) return { route: candidate, ids: match.slice(1) };
  }
  return undefined;
}

/** Whether any route answers this path, whatever the method: such paths get CORS preflights. */
export function isKnownPath(path: string): boolean {
  return ROUTES.some((candidate) => candidate.pattern.test(path));
}
