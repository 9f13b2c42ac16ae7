import { randomUUID } from 'node:crypto';
import type { PublicRouteContext, Route, RouteContext } from './core.js';
import { createCorrelationId, HubSpotHttpError, type HubSpotReply } from './http-kit.js';
import { listFormSubmissions } from './form-submissions-list.js';
import { createRecord, findByProperty, normalizeProperties, updateRecord } from './object-store.js';
import type { FormDefinition, FormSubmission, Portal } from './state.js';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_FIELDS = 1000;
const DEFAULT_INLINE_MESSAGE = 'Thanks for submitting the form.';

interface FieldError {
  message: string;
  errorType: string;
}

/** The forms API's own error body: `{status, message, correlationId, errors:[{message, errorType}]}`. */
function createFormsError(httpStatus: number, message: string, errors: FieldError[]): HubSpotHttpError {
  return new HubSpotHttpError(httpStatus, {
    status: 'error',
    message,
    correlationId: createCorrelationId(),
    errors,
  });
}

type Field = FormSubmission['fields'][number];

function readSubmission(rawBody: string): Record<string, unknown> {
  try {
    const body: unknown = JSON.parse(rawBody);
    if (body !== null && typeof body === 'object' && !Array.isArray(body))
      return body as Record<string, unknown>;
  } catch {
    // Answered below, like any other malformed body.
  }
  throw createFormsError(400, 'The request is not valid', [
    {
      message: 'Invalid input JSON: the body must be a JSON object',
      errorType: 'INPUT_TOO_LARGE_OR_INVALID',
    },
  ]);
}

function validateFields(fields: unknown, definition: FormDefinition) {
  const errors: FieldError[] = [];
  if (!Array.isArray(fields) || fields.length === 0) {
    errors.push({
      message: "Error in 'fields'. Some required fields were not completed.",
      errorType: 'REQUIRED_FIELD',
    });
    return { errors, valid: [] as Field[] };
  }
  if (fields.length > MAX_FIELDS) {
    errors.push({
      message: `Error in 'fields'. Submitted ${fields.length} values; the limit is ${MAX_FIELDS}.`,
      errorType: 'MAX_NUMBER_OF_SUBMITTED_VALUES_EXCEEDED',
    });
  }
  const valid: Field[] = [];
  for (const raw of fields as Array<Record<string, unknown>>) {
    const name = typeof raw?.['name'] === 'string' ? raw['name'] : '';
    const value = raw?.['value'];
    if (
      name === '' ||
      (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
    ) {
      errors.push({
        message: `Error in 'fields.${name}'. Each field needs a name and a string value.`,
        errorType: 'INVALID_FIELD',
      });
      continue;
    }
    const field: Field = { name, value: String(value) };
    if (typeof raw['objectTypeId'] === 'string') field.objectTypeId = raw['objectTypeId'];
    if (!definition.fields.some((known) => known.name === name)) {
      errors.push({
        message: `Error in 'fields.${name}'. This field was not found in the form definition.`,
        errorType: 'FIELD_NOT_IN_FORM_DEFINITION',
      });
    } else if (name === 'email' && !EMAIL_PATTERN.test(field.value)) {
      errors.push({ message: "Error in 'fields.email'. Invalid email address", errorType: 'INVALID_EMAIL' });
    }
    valid.push(field);
  }
  for (const required of definition.fields.filter((known) => known.required)) {
    if (!valid.some((field) => field.name === required.name && field.value.trim() !== '')) {
      errors.push({
        message: `Error in 'fields.${required.name}'. Required field '${required.name}' is missing`,
        errorType: 'REQUIRED_FIELD',
      });
    }
  }
  return { errors, valid };
}

/** Like HubSpot, a submission with an email creates or updates that contact from the contact fields. */
function upsertContact(portal: Portal, fields: Field[], now: number): void {
  const email = fields.find((field) => field.name === 'email')?.value;
  if (email === undefined) return;
  const values: Record<string, string> = {};
  for (const field of fields) {
    if (field.objectTypeId !== undefined && field.objectTypeId !== '0-1') continue;
    try {
      Object.assign(values, normalizeProperties(portal, 'contacts', { [field.name]: field.value }));
    } catch {
      // Fields that are not (valid) contact properties stay on the submission only.
    }
  }
  const existing = findByProperty(portal, 'contacts', 'email', email);
  if (existing === undefined) createRecord(portal, 'contacts', values, now);
  else updateRecord(portal, 'contacts', existing, values, now);
}

function submit(ctx: PublicRouteContext, secure: boolean): HubSpotReply {
  const portalId = Number(ctx.req.params['portalId']);
  const formGuid = ctx.req.params['formGuid'] ?? '';
  const portal = ctx.core.portals.get(portalId);
  const definition = portal?.forms.get(formGuid);
  if (portal === undefined || definition === undefined) {
    throw createFormsError(404, 'The request is not valid', [
      { message: `Form ${formGuid} was not found in portal ${portalId}`, errorType: 'FORM_NOT_FOUND' },
    ]);
  }
  const body = readSubmission(ctx.req.rawBody);
  const { errors, valid } = validateFields(body['fields'], definition);
  if (errors.length > 0) throw createFormsError(400, 'The request is not valid', errors);
  const submittedAt = Number(body['submittedAt']);
  const submission: FormSubmission = {
    formGuid,
    conversionId: randomUUID(),
    fields: valid,
    submittedAt: Number.isFinite(submittedAt) && submittedAt > 0 ? submittedAt : ctx.now,
    secure,
  };
  if (body['context'] !== null && typeof body['context'] === 'object') {
    submission.context = body['context'] as Record<string, unknown>;
  }
  if (body['legalConsentOptions'] !== undefined) submission.legalConsentOptions = body['legalConsentOptions'];
  portal.submissions.push(submission);
  upsertContact(portal, valid, ctx.now);
  const reply =
    definition.redirectUri !== undefined
      ? { redirectUri: definition.redirectUri }
      : { inlineMessage: definition.inlineMessage ?? DEFAULT_INLINE_MESSAGE };
  return { status: 200, body: reply };
}

function submitSecure(ctx: RouteContext): HubSpotReply {
  if (Number(ctx.req.params['portalId']) !== ctx.portal.id) {
    throw new HubSpotHttpError(403, {
      status: 'error',
      message: `The access token belongs to portal ${ctx.portal.id}, not ${ctx.req.params['portalId']}`,
      correlationId: createCorrelationId(),
      category: 'INVALID_AUTHENTICATION',
    });
  }
  return submit(ctx, true);
}

/** A form as the marketing forms v3 API returns it (`FormDefinitionBase`, one field group). */
function describeForm(ctx: RouteContext): HubSpotReply {
  const formId = ctx.req.params['formId'] ?? '';
  const definition = ctx.portal.forms.get(formId);
  if (definition === undefined) {
    throw new HubSpotHttpError(404, {
      status: 'error',
      message: `Form ${formId} was not found`,
      correlationId: createCorrelationId(),
      category: 'OBJECT_NOT_FOUND',
    });
  }
  const created = new Date(0).toISOString();
  return {
    status: 200,
    body: {
      id: definition.formGuid,
      name: definition.name,
      formType: 'hubspot',
      createdAt: created,
      updatedAt: created,
      archived: false,
      fieldGroups: definition.fields.map((field) => ({
        groupType: 'default_group',
        richTextType: 'text',
        fields: [
          {
            objectTypeId: '0-1',
            name: field.name,
            label: field.name,
            required: field.required,
            hidden: field.hidden,
            fieldType: field.name === 'email' ? 'email' : 'single_line_text',
          },
        ],
      })),
      legalConsentOptions: { type: 'none' },
    },
  };
}

const PATH = '/submissions/v3/integration';

export const formRoutes: Route[] = [
  {
    method: 'POST',
    pattern: `${PATH}/submit/:portalId/:formGuid`,
    auth: 'none',
    cors: true,
    handle: (ctx) => submit(ctx, false),
  },
  {
    method: 'POST',
    pattern: `${PATH}/secure/submit/:portalId/:formGuid`,
    auth: 'token',
    cors: true,
    handle: submitSecure,
  },
  { method: 'GET', pattern: '/marketing/v3/forms/:formId', auth: 'token', handle: describeForm },
  {
    method: 'GET',
    pattern: '/form-integrations/v1/submissions/forms/:formGuid',
    auth: 'token',
    handle: listFormSubmissions,
  },
];
