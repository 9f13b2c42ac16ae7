import { openSession, type AttachHandle, type CommonOptions } from './attach.js';
import { OnePagePayError } from './errors.js';
import type { FormHost } from './hubspot/form-host.js';
import { createV2Host, formElementOf } from './hubspot/v2-host.js';

export interface AttachFormOptions extends CommonOptions {
  /** The form HubSpot hands `onFormReady`: a jQuery object (older embeds) or an HTMLFormElement. */
  form: unknown;
  /** The HubSpot form GUID; default: the form's `data-form-id`. */
  formId?: string;
  /** Where to render the payment step instead of above the form's submit button. */
  container?: HTMLElement | string;
}

export interface AttachFormHandle extends AttachHandle {
  /** Call from `onFormSubmitted`: reports HubSpot's accepted submission to the relay. */
  submitted(): void;
}

/**
 * Attaches the payment step to a legacy v2 form that your own `hbspt.forms.create` call rendered,
 * from its `onFormReady` callback. Use it instead of `attach` for that form, and call `submitted()`
 * from `onFormSubmitted`: this handle, not HubSpot's global messages, reports the submission.
 */
export function attachForm(options: AttachFormOptions): AttachFormHandle {
  const form = formElementOf(options.form);
  if (!form) {
    throw new OnePagePayError(
      'validation_error',
      'attachForm needs the form that onFormReady receives: a jQuery object or an HTMLFormElement.',
    );
  }
  // The default v2 embed renders into a same-origin iframe: the step goes into the page, after it.
  const doc = form.ownerDocument;
  const frame = doc === document ? null : (doc.defaultView?.frameElement as HTMLIFrameElement | null);
  let report: () => void = () => undefined;
  const v2 = createV2Host(form, frame ?? null);
  const host: FormHost = {
    ...v2,
    formId: options.formId ?? v2.formId,
    onSubmitted(callback) {
      report = callback;
      return () => (report = () => undefined);
    },
  };
  const container =
    typeof options.container === 'string'
      ? (document.querySelector<HTMLElement>(options.container) ?? undefined)
      : options.container;
  const { step, ready } = openSession(options)(host, container, true);
  return {
    ready,
    destroy: () => step.destroy(),
    submitted: () => report(),
  };
}
