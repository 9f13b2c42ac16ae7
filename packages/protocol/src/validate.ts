import type { Static, TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { isDeliverableHubSpotEmail } from './iana-email.js';

// ajv-formats ships CommonJS with a default export; under NodeNext it arrives wrapped.
type AddFormats = (ajv: Ajv, formats: string[]) => Ajv;
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ??
  (addFormatsModule as unknown as AddFormats);

const ajv = new Ajv({ allErrors: false, strict: true, coerceTypes: false, removeAdditional: false });
addFormats(ajv, ['uuid', 'date-time', 'uri']);
// `format: email` (the payer's email) means what HubSpot's forms take, down to an existing TLD.
ajv.addFormat('email', { type: 'string', validate: isDeliverableHubSpotEmail });
ajv.addKeyword('kind').addKeyword('modifier');

const compiled = new WeakMap<TSchema, ValidateFunction>();

export interface ValidationIssue {
  path: string;
  message: string;
}

export type ValidationOutcome<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** Validates `value` against a protocol schema; compiled validators are cached per schema. */
export function validate<S extends TSchema>(schema: S, value: unknown): ValidationOutcome<Static<S>> {
  let check = compiled.get(schema);
  if (!check) {
    check = ajv.compile(schema);
    compiled.set(schema, check);
  }
  if (check(value)) return { ok: true, value: value as Static<S> };
  return { ok: false, issues: (check.errors ?? []).slice(0, 20).map(describeIssue) };
}

function describeIssue(error: ErrorObject): ValidationIssue {
  const path = error.instancePath || '/';
  if (error.keyword === 'additionalProperties') {
    return { path, message: `unknown property '${String(error.params.additionalProperty)}'` };
  }
  return { path, message: error.message ?? 'is invalid' };
}
