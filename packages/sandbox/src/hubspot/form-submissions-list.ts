import type { RouteContext } from './core.js';
import { createApiError, createValidationError, type HubSpotReply } from './http-kit.js';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 50;

/**
 * GET /form-integrations/v1/submissions/forms/{formGuid} (Forms API v1): the form's submissions,
 * newest first, `limit` 1–50 (default 20), each with its conversionId, submittedAt, field values
 * and page URL, and `paging.next.after` while more remain.
 */
export function listFormSubmissions(ctx: RouteContext): HubSpotReply {
  const formGuid = ctx.req.params['formGuid'] ?? '';
  if (!ctx.portal.forms.has(formGuid)) {
    throw createApiError(404, 'OBJECT_NOT_FOUND', `Form ${formGuid} was not found.`);
  }
  const limit = Number(ctx.req.query.get('limit') ?? DEFAULT_LIMIT);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw createValidationError(`limit must be an integer from 1 to ${MAX_LIMIT}.`);
  }
  const after = ctx.req.query.get('after');
  const offset = after === null ? 0 : Number(Buffer.from(after, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw createValidationError(`Invalid after: ${after}.`);
  // Newest first; of two at the same instant, the one received last.
  const newestFirst = ctx.portal.submissions
    .map((submission, received) => ({ submission, received }))
    .filter(({ submission }) => submission.formGuid === formGuid)
    .sort((a, b) => b.submission.submittedAt - a.submission.submittedAt || b.received - a.received);
  const page = newestFirst.slice(offset, offset + limit);
  const body: Record<string, unknown> = {
    results: page.map(({ submission }) => ({
      conversionId: submission.conversionId,
      submittedAt: submission.submittedAt,
      values: submission.fields.map((field) => ({ name: field.name, value: field.value })),
      pageUrl: String(submission.context?.['pageUri'] ?? ''),
    })),
  };
  if (offset + limit < newestFirst.length) {
    const next = Buffer.from(String(offset + limit)).toString('base64url');
    body['paging'] = {
      next: {
        after: next,
        link: `?limit=${limit}&after=${next}`,
      },
    };
  }
  return { status: 200, body };
}
