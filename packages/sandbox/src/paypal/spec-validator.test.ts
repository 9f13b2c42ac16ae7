import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats ships CommonJS with a default export; under NodeNext it arrives wrapped.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  addFormatsModule) as unknown as AddFormats;

const SPEC_DIR = new URL('../../spec/paypal/', import.meta.url);
type Spec = { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> } & Record<
  string,
  unknown
>;
const readSpec = (name: string) => JSON.parse(readFileSync(new URL(name, SPEC_DIR), 'utf8')) as Spec;

/** Every `format` a document names, so the ones ajv does not know can be declared. */
function formatsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) formatsIn(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'format' && typeof child === 'string') found.add(child);
      else formatsIn(child, found);
    }
  }
  return found;
}

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/**
 * Validates answers against PayPal's published OpenAPI documents (Orders v2 and Webhooks v1): the
 * documents are added whole to ajv, so every `$ref` resolves inside them as PayPal wrote it.
 */
export class PayPalSpecValidator {
  private readonly ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateSchema: false,
    unicodeRegExp: false,
  });
  private readonly specs = {
    orders: readSpec('checkout_orders_v2.json'),
    webhooks: readSpec('notifications_webhooks_v1.json'),
  };
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    addFormats(this.ajv);
    for (const spec of Object.values(this.specs)) {
      for (const format of formatsIn(spec)) if (!this.ajv.formats[format]) this.ajv.addFormat(format, true);
    }
    for (const [id, spec] of Object.entries(this.specs)) this.ajv.addSchema(spec, id);
  }

  /** Which document describes `template`, or null when PayPal's published specs here do not. */
  documentOf(template: string): keyof PayPalSpecValidator['specs'] | null {
    if (this.specs.orders.paths[template]) return 'orders';
    if (this.specs.webhooks.paths[template]) return 'webhooks';
    return null;
  }

  /** Errors of one answer of `method template`, `[]` when it conforms; throws if the spec has no such answer. */
  validateResponse(template: string, method: string, status: number, body: unknown): string[] {
    const id = this.documentOf(template);
    if (!id) throw new Error(`no PayPal spec describes ${template}`);
    const operation = this.specs[id].paths[template]?.[method.toLowerCase()];
    if (!operation) throw new Error(`the spec has no ${method} ${template}`);
    const code = operation.responses[String(status)] ? String(status) : 'default';
    let response = operation.responses[code] as { $ref?: string } | undefined;
    if (!response) throw new Error(`the spec documents no ${status} for ${method} ${template}`);
    let path = `#/${pointer('paths', template, method.toLowerCase(), 'responses', code)}`;
    if (response.$ref) {
      path = response.$ref;
      response = this.resolve(id, response.$ref) as { $ref?: string };
    }
    const content = (response as { content?: Record<string, unknown> }).content;
    if (!content?.['application/json'])
      return body === undefined ? [] : [`${status} has no JSON body in the spec`];
    return this.validateAt(`${id}${path}/content/application~1json/schema`, body);
  }

  /** Errors of `value` against a named component schema (`#/components/schemas/event`). */
  validateSchema(document: 'orders' | 'webhooks', schema: string, value: unknown): string[] {
    return this.validateAt(`${document}#/components/schemas/${schema}`, value);
  }

  private validateAt(ref: string, value: unknown): string[] {
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.compiled.set(ref, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`);
  }

  private resolve(id: keyof PayPalSpecValidator['specs'], ref: string): unknown {
    return ref
      .slice(2)
      .split('/')
      .reduce<unknown>(
        (node, part) => (node as Record<string, unknown>)[part.replaceAll('~1', '/').replaceAll('~0', '~')],
        this.specs[id],
      );
  }
}
