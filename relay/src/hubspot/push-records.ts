import { formatMoney, toMajorUnitString } from '@onepagepay/protocol';
import type { HubSpotSession } from './hubspot-session.js';

/** What HubSpot is told about one transaction: its current state, whatever event queued the push. */
export interface SyncRecord {
  transactionId: string;
  status: string;
  amount: number;
  amountRefunded: number;
  currency: string;
  productName: string;
  providerPaymentId: string | null;
  paidAt: Date;
  contact: { email: string; firstName: string; lastName: string } | null;
  pipeline: string;
  dealStage: string;
}

export type PushOutcome =
  { ok: true; contactId: string | null; dealId: string; lineItemId: string } | { ok: false; error: string };

/** HubSpot's limit on inputs per CRM batch request. */
export const MAX_BATCH = 100;

interface BatchAnswer {
  results: Array<{ id: string; properties: Record<string, string | null> }>;
  errors?: Array<{ message: string; context?: Record<string, string[]> }>;
}

/**
 * Upserts up to 100 transactions as CRM records in five requests: contacts by email, deals and
 * line items by their unique `onepagepay_transaction_id`, then the deal↔contact and deal↔line item
 * associations (v4 default types). Every step is an upsert or an idempotent association, so
 * repeating a push after a crash or a timeout never creates a second record.
 */
export async function pushRecords(
  session: HubSpotSession,
  records: readonly SyncRecord[],
): Promise<Map<string, PushOutcome>> {
  if (records.length > MAX_BATCH) throw new RangeError(`at most ${MAX_BATCH} records per push`);
  const outcomes = new Map<string, PushOutcome>();
  const fail = (transactionId: string, error: string) => outcomes.set(transactionId, { ok: false, error });

  const contactIds = await upsertContacts(session, records);
  const withContacts = records.filter((record) => {
    if (!record.contact || contactIds.has(record.contact.email.toLowerCase())) return true;
    fail(record.transactionId, contactIds.errorFor(record.contact.email));
    return false;
  });

  const deals = await upsertByTransaction(session, 'deals', withContacts.map(dealInput));
  const withDeals = withContacts.filter((record) => {
    if (deals.ids.has(record.transactionId)) return true;
    fail(record.transactionId, deals.error);
    return false;
  });

  const lineItems = await upsertByTransaction(session, 'line_items', withDeals.map(lineItemInput));
  const complete = withDeals.filter((record) => {
    if (lineItems.ids.has(record.transactionId)) return true;
    fail(record.transactionId, lineItems.error);
    return false;
  });
  if (complete.length === 0) return outcomes;

  const dealOf = (record: SyncRecord) => deals.ids.get(record.transactionId) as string;
  const contactPairs = complete.flatMap((record) =>
    record.contact
      ? [
          {
            from: { id: dealOf(record) },
            to: { id: contactIds.get(record.contact.email.toLowerCase()) as string },
          },
        ]
      : [],
  );
  const contactLinks = await associate(session, 'contacts', contactPairs);
  const lineItemPairs = complete.map((record) => ({
    from: { id: dealOf(record) },
    to: { id: lineItems.ids.get(record.transactionId) as string },
  }));
  const lineItemLinks = await associate(session, 'line_items', lineItemPairs);

  for (const record of complete) {
    const dealId = dealOf(record);
    const problem = contactLinks.get(dealId) ?? lineItemLinks.get(dealId);
    if (problem) fail(record.transactionId, problem);
    else
      outcomes.set(record.transactionId, {
        ok: true,
        contactId: record.contact ? (contactIds.get(record.contact.email.toLowerCase()) ?? null) : null,
        dealId,
        lineItemId: lineItems.ids.get(record.transactionId) as string,
      });
  }
  return outcomes;
}

async function upsertContacts(session: HubSpotSession, records: readonly SyncRecord[]) {
  const byEmail = new Map<string, NonNullable<SyncRecord['contact']>>();
  for (const record of records) {
    if (record.contact) byEmail.set(record.contact.email.toLowerCase(), record.contact);
  }
  const ids = new Map<string, string>();
  let error = 'HubSpot did not return the contact';
  if (byEmail.size > 0) {
    const inputs = [...byEmail].map(([email, contact]) => ({
      idProperty: 'email',
      id: email,
      properties: { email, firstname: contact.firstName, lastname: contact.lastName },
    }));
    const answer = (await session.call((client) =>
      client.crm.contacts.batchApi.upsert({ inputs }),
    )) as unknown as BatchAnswer;
    matchResults(answer, inputs, 'email', ids, (value) => value.toLowerCase());
    error = describeErrors(answer) ?? error;
  }
  return {
    has: (email: string) => ids.has(email),
    get: (email: string) => ids.get(email),
    errorFor: (_email: string) => error,
  };
}

async function upsertByTransaction(
  session: HubSpotSession,
  objectType: 'deals' | 'line_items',
  inputs: Array<{ idProperty: string; id: string; properties: Record<string, string> }>,
): Promise<{ ids: Map<string, string>; error: string }> {
  const ids = new Map<string, string>();
  if (inputs.length === 0) return { ids, error: '' };
  const answer = (await session.call((client) =>
    objectType === 'deals'
      ? client.crm.deals.batchApi.upsert({ inputs })
      : client.crm.lineItems.batchApi.upsert({ inputs }),
  )) as unknown as BatchAnswer;
  matchResults(answer, inputs, 'onepagepay_transaction_id', ids, (value) => value);
  return { ids, error: describeErrors(answer) ?? `HubSpot did not return the ${objectType}` };
}

/** Results carry the id property; when HubSpot leaves it out, a complete answer is in input order. */
function matchResults(
  answer: BatchAnswer,
  inputs: Array<{ id: string }>,
  idProperty: string,
  into: Map<string, string>,
  normalize: (value: string) => string,
): void {
  const known = new Set(inputs.map((input) => input.id));
  for (const result of answer.results) {
    const value = result.properties[idProperty];
    if (value && known.has(normalize(value))) into.set(normalize(value), result.id);
  }
  if (into.size === 0 && answer.results.length === inputs.length && !answer.errors?.length) {
    inputs.forEach((input, index) => into.set(input.id, (answer.results[index] as { id: string }).id));
  }
}

async function associate(
  session: HubSpotSession,
  toType: 'contacts' | 'line_items',
  inputs: Array<{ from: { id: string }; to: { id: string } }>,
): Promise<Map<string, string>> {
  const problems = new Map<string, string>();
  if (inputs.length === 0) return problems;
  const answer = (await session.call((client) =>
    client.crm.associations.v4.batchApi.createDefault('deals', toType, {
      inputs: inputs.map((input) => ({ _from: input.from, to: input.to })),
    }),
  )) as unknown as BatchAnswer;
  if (!answer.errors?.length) return problems;
  // HubSpot's batch errors do not say which input failed: read back which deals hold the link.
  const message =
    `HubSpot refused an association: ${answer.errors.map((error) => error.message).join('; ')}`.slice(0, 500);
  const dealIds = [...new Set(inputs.map((input) => input.from.id))];
  const read = await session.call((client) =>
    client.crm.associations.v4.batchApi.getPage('deals', toType, { inputs: dealIds.map((id) => ({ id })) }),
  );
  const linked = new Map(
    read.results.map((result) => [result._from.id, new Set(result.to.map((to) => String(to.toObjectId)))]),
  );
  for (const input of inputs) {
    if (!linked.get(input.from.id)?.has(input.to.id)) problems.set(input.from.id, message);
  }
  return problems;
}

function describeErrors(answer: BatchAnswer): string | undefined {
  if (!answer.errors?.length) return undefined;
  return `HubSpot refused part of a batch: ${answer.errors.map((error) => error.message).join('; ')}`.slice(
    0,
    500,
  );
}

function dealInput(record: SyncRecord) {
  return {
    idProperty: 'onepagepay_transaction_id',
    id: record.transactionId,
    properties: {
      dealname: `${record.productName} – ${formatPrice(record.amount, record.currency)}`,
      amount: toMajorUnitString(record.amount, record.currency),
      deal_currency_code: record.currency,
      closedate: record.paidAt.toISOString(),
      pipeline: record.pipeline,
      dealstage: record.dealStage,
      onepagepay_transaction_id: record.transactionId,
      onepagepay_payment_status: record.status,
      onepagepay_amount_refunded: toMajorUnitString(record.amountRefunded, record.currency),
      onepagepay_provider_payment_id: record.providerPaymentId ?? '',
    },
  };
}

function lineItemInput(record: SyncRecord) {
  const price = toMajorUnitString(record.amount, record.currency);
  return {
    idProperty: 'onepagepay_transaction_id',
    id: record.transactionId,
    properties: {
      name: record.productName,
      quantity: '1',
      price,
      hs_line_item_currency_code: record.currency,
      onepagepay_transaction_id: record.transactionId,
    },
  };
}

const priceLabels = new Map<string, string>();

/** formatMoney builds an Intl formatter per call; a sync of thousands reuses each label. */
function formatPrice(amount: number, currency: string): string {
  const key = `${amount} ${currency}`;
  let label = priceLabels.get(key);
  if (label === undefined) {
    label = formatMoney(amount, currency, 'en-US');
    if (priceLabels.size > 10_000) priceLabels.clear();
    priceLabels.set(key, label);
  }
  return label;
}
