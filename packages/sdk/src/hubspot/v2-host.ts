import { contactFrom, listen, STATUS_FIELD, TRANSACTION_FIELD, type FormHost } from './form-host.js';
import { askHubSpot } from './host-validation.js';

/**
 * A legacy v2 embed (hbspt.forms.create). Raw-HTML forms render inline; the default embed renders
 * into a same-origin iframe, so the form is reached through that iframe's document and the payment
 * step is placed in the page right after the iframe (a Stripe frame cannot live in HubSpot's).
 */
export function createV2Host(form: HTMLFormElement, iframe: HTMLIFrameElement | null): FormHost {
  const formId = form.getAttribute('data-form-id') ?? '';
  const input = (name: string) => form.querySelector<HTMLInputElement>(`[name="${name}"]`);

  return {
    formId,
    anchor: iframe ?? form,
    form,
    place(step) {
      if (iframe) iframe.after(step);
      else {
        const submit = form.querySelector('.hs_submit,[type=submit]');
        if (submit) submit.before(step);
        else form.append(step);
      }
    },
    async readContact() {
      const values: Record<string, string> = {};
      for (const name of ['email', 'firstname', 'lastname']) values[name] = input(name)?.value ?? '';
      return contactFrom(values);
    },
    async writePayment(transactionId, status) {
      for (const [name, value] of [
        [TRANSACTION_FIELD, transactionId],
        [STATUS_FIELD, status],
      ] as const) {
        const field = input(name);
        if (!field) continue;
        field.value = value;
        // HubSpot counts a value set from script only after these events (its docs say so).
        field.dispatchEvent(new Event('input', { bubbles: true }));
        field.dispatchEvent(new Event('change', { bubbles: true }));
      }
    },
    async missingFields() {
      return [TRANSACTION_FIELD, STATUS_FIELD].filter((name) => !input(name));
    },
    validateFields: () => askHubSpot(form),
    onLastStep: () => true,
    onSubmitted(callback) {
      const listener = (event: MessageEvent) => {
        const data = event.data as { type?: string; eventName?: string; id?: string } | null;
        if (data?.type === 'hsFormCallback' && data.eventName === 'onFormSubmitted' && data.id === formId) {
          callback();
        }
      };
      return listen('message', listener);
    },
  };
}

/** Older v2 embeds hand callbacks a jQuery object, newer ones the form element: accept both. */
export function formElementOf(value: unknown): HTMLFormElement | null {
  const candidate = (value as { jquery?: string; 0?: unknown } | null)?.jquery
    ? (value as { 0?: unknown })[0]
    : value;
  return candidate && (candidate as Element).nodeType === 1 && (candidate as Element).tagName === 'FORM'
    ? (candidate as HTMLFormElement)
    : null;
}
