import type { HubSpotSession } from './hubspot-session.js';
import type { LoadedTransaction } from './load-records.js';

/** What Forms API v1 lists for one submission. */
interface ListedSubmission {
  conversionId?: string;
  submittedAt?: number;
  values?: Array<{ name?: string; value?: string }>;
}

interface SubmissionPage {
  results?: ListedSubmission[];
  paging?: { next?: { after?: string } };
}

export interface FoundSubmission {
  submittedAt: Date;
  email: string | undefined;
}

/** HubSpot's page size limit for this endpoint. */
const PAGE_SIZE = 50;
/** Clocks of HubSpot and the relay differ: read a little past the payment before stopping. */
const CLOCK_SLACK_MS = 5 * 60_000;
/** A form busier than this many submissions since the payment is read no further (logged). */
const MAX_PAGES = 40;

/**
 * Looks in HubSpot (GET /form-integrations/v1/submissions/forms/{formGuid}, newest first) for a
 * submission of the form carrying this transaction id, so that the relay's fallback never submits a
 * second time when only the browser's report was lost (a form that redirects after submitting).
 * Reads back to the moment of payment: a submission carrying the id cannot be older.
 */
export async function findFormSubmission(
  session: HubSpotSession,
  transaction: LoadedTransaction,
): Promise<FoundSubmission | null | 'gave_up'> {
  const since = transaction.paidAt.getTime() - CLOCK_SLACK_MS;
  const base = `/form-integrations/v1/submissions/forms/${encodeURIComponent(transaction.formGuid)}`;
  let after: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const query = `?limit=${PAGE_SIZE}${after ? `&after=${encodeURIComponent(after)}` : ''}`;
    const page = (await session.request({ method: 'GET', path: base + query })) as SubmissionPage;
    for (const submission of page.results ?? []) {
      const values = new Map((submission.values ?? []).map((field) => [field.name, field.value]));
      if (values.get('onepagepay_transaction_id') === transaction.transactionId) {
        return { submittedAt: new Date(submission.submittedAt ?? Date.now()), email: values.get('email') };
      }
      if ((submission.submittedAt ?? Infinity) < since) return null;
    }
    after = page.paging?.next?.after;
    if (!after) return null;
  }
  return 'gave_up';
}
