import { OnePagePayError } from '../errors.js';
import { wait } from '../pay-flow.js';
import { contactFrom, listen, STATUS_FIELD, TRANSACTION_FIELD, type FormHost } from './form-host.js';
import { askHubSpot, isShown } from './host-validation.js';

/** The part of a form object of `window.HubSpotFormsV4` that the SDK uses. */
export interface HubSpotV4Form {
  getFormId(): string;
  getInstanceId(): string;
  getFormFieldValues(): Promise<Array<{ name: string; value: unknown }>>;
  setFieldValue(name: string, value: string): void;
}

interface HubSpotFormsV4 {
  getFormFromEvent(event: Event): HubSpotV4Form | undefined;
  getForms?(): HubSpotV4Form[];
}

export function hubspotV4(): HubSpotFormsV4 | undefined {
  return (window as unknown as { HubSpotFormsV4?: HubSpotFormsV4 }).HubSpotFormsV4;
}

const key = (name: string) => `0-1/${name}`;

/** How long a form gets to answer a question about its fields before it is asked again (3 tries). */
const FORM_ANSWER_MS = 1500;

/**
 * A v4 form. The developer embed (`hs-form-html`) is inline: the SDK owns its submit. The
 * `hs-form-frame` embed lives in a frame the page cannot reach: the payment step is placed beside
 * it with its own pay button, and values go through the HubSpotFormsV4 API.
 */
export function createV4Host(container: Element, api: HubSpotV4Form, form: HTMLFormElement | null): FormHost {
  // The frame embed answers through postMessage, and a frame that is still loading drops the
  // question: ask again rather than wait forever (HubSpotFormsV4 has no timeout of its own).
  const values = async () => {
    let list;
    for (let asked = 0; !list && asked < 3; asked += 1) {
      list = await Promise.race([api.getFormFieldValues(), wait(FORM_ANSWER_MS)]);
    }
    if (!list) throw new OnePagePayError('form_unreachable', 'No answer from the form.');
    return Object.fromEntries(list.map((field) => [field.name, String(field.value ?? '')]));
  };
  return {
    formId: api.getFormId(),
    anchor: container,
    form,
    place(step) {
      // A multi-step form has one navigation row per step: the payment goes beside the last one,
      // the row of the real submit, so it shows only on the step that sends the form.
      const navigation = [...(form?.querySelectorAll('.hsfc-NavigationRow') ?? [])].pop();
      if (navigation) navigation.before(step);
      else container.after(step);
    },
    validateFields: async () => !form || askHubSpot(form),
    onLastStep() {
      const steps = form?.querySelectorAll('.hsfc-Step');
      return !steps || steps.length < 2 || isShown(steps[steps.length - 1]!);
    },
    async readContact() {
      return contactFrom(await values());
    },
    async writePayment(transactionId, status) {
      // setFieldValue updates HubSpot's React state; a DOM value alone would be dropped.
      api.setFieldValue(key(TRANSACTION_FIELD), transactionId);
      api.setFieldValue(key(STATUS_FIELD), status);
    },
    async missingFields() {
      const present = await values();
      return [TRANSACTION_FIELD, STATUS_FIELD].filter((name) => !(key(name) in present));
    },
    onSubmitted(callback) {
      const listener = (event: Event) => {
        if (hubspotV4()?.getFormFromEvent(event)?.getInstanceId() === api.getInstanceId()) callback();
      };
      return listen('hs-form-event:on-submission:success', listener);
    },
  };
}
