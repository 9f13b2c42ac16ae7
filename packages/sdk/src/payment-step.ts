import { OnePagePayError } from './errors.js';
import { dispatchPaymentEvent, type OnePagePayEventMap, type OnePagePayEventName } from './events.js';
import { readHutk, TRANSACTION_FIELD, type Contact, type FormHost } from './hubspot/form-host.js';
import { formatAmount, messageFor, OUTAGE_MESSAGE } from './messages.js';
import { createPayFlow, type PayFlow } from './pay-flow.js';
import type { PaymentProvider, PaymentProviderFactory } from './providers/payment-provider.js';
import type { FormConfig, PaymentResult, RelayClient, StatusResponse } from './relay-client.js';
import { createStepView, type StepView } from './ui/step-view.js';

export interface StepOptions {
  tenantId: string;
  relay: RelayClient;
  providers: PaymentProviderFactory[];
  container?: HTMLElement | undefined;
  appearance?: unknown;
  nonce?: string | undefined;
  /** Named by attach({formId}): held while its config is unknown, whatever its fields. */
  named?: boolean;
}

export interface PaymentStep {
  /** Renders the step for `config`; null (not configured) lets go of the form and rejects. */
  start(config: FormConfig | null, status: StatusResponse | null): Promise<void>;
  /** Shows the outage message and keeps holding the submit. */
  block(): void;
  /** The relay did not answer: blocks a plausible payment form, lets go of any other form. */
  unreachable(): Promise<void>;
  destroy(): void;
}

type State = 'loading' | 'blocked' | 'ready' | 'paying' | 'paid' | 'destroyed';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The payment step of one form. It owns the form's submit from the moment the form is found: a
 * capture-phase listener holds every submit (button or Enter) until the payment succeeded, then
 * lets exactly one native submit through, carrying the transaction id.
 */
export function createPaymentStep(host: FormHost, options: StepOptions): PaymentStep {
  const { form, anchor } = host;
  let state: State = 'loading';
  let view: StepView | undefined;
  let provider: PaymentProvider | undefined;
  let flow: PayFlow | undefined;
  let config: FormConfig | undefined;
  let paid: PaymentResult | undefined;
  let letThrough = false;

  /** Every event is sent once the form's config is known, so its currency always is. */
  const emit = <Name extends OnePagePayEventName>(
    name: Name,
    detail: Omit<OnePagePayEventMap[Name]['detail'], 'formId' | 'currency'>,
  ) =>
    dispatchPaymentEvent(
      form && form.ownerDocument !== anchor.ownerDocument ? [form, anchor] : [form ?? anchor],
      name,
      { formId: host.formId, currency: config!.currency, ...detail } as OnePagePayEventMap[Name]['detail'],
    );

  const onSubmit = (event: Event) => {
    if (event.target !== form) return;
    if (letThrough || state === 'paid' || state === 'destroyed') return;
    // Unknown config: hold only what looks like a payment form, so an outage never blocks a newsletter.
    if (state === 'loading' && !options.named && !form?.querySelector(`[name$="${TRANSACTION_FIELD}"]`))
      return;
    // Invalid host fields: let HubSpot's own validation show its errors; nothing is charged.
    if (!hostFieldsValid()) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (state === 'ready') void pay();
    else if (state === 'loading') view?.show('The payment form is still loading.', 'info');
  };

  function hostFieldsValid(): boolean {
    return [...(form?.elements ?? [])].every((element) => {
      const field = element as HTMLInputElement;
      if (view?.root.contains(field) || field.type === 'hidden') return true;
      const value = (field.value ?? '').trim();
      // A checkbox's value is "on" whether ticked or not: ask whether one of its name is checked.
      const empty = /checkbox|radio/.test(field.type)
        ? !form!.querySelector(`[name="${field.name}"]:checked`)
        : !value;
      return !(field.required && empty) && !(value && /email$/.test(field.name) && !EMAIL.test(value));
    });
  }

  async function pay(): Promise<void> {
    if (!flow || !view || !config) return;
    state = 'paying';
    view.setBusy(true);
    view.show('Processing your payment…', 'info');
    emit('onepagepay:payment-started', { amount: config.amount! });
    try {
      const result = await flow.pay({
        tenantId: options.tenantId,
        formId: config.formId,
        contact: host.readContact().then(checkContact),
        hutk: readHutk(),
      });
      paid = result;
      state = 'paid';
      await host.writePayment(result.transactionId, result.status);
      const { transactionId, status } = result;
      emit('onepagepay:payment-succeeded', { transactionId, status, amount: result.amount });
      if (form) {
        view.show('Payment received. Sending the form…', 'info');
        letThrough = true;
        form.requestSubmit();
        letThrough = false;
      } else view.show('Payment received. Now submit the form to finish.', 'info');
    } catch (error) {
      if ((state as State) === 'destroyed') return;
      state = 'ready';
      const message = messageFor(error);
      view.show(message);
      const { code = 'unknown', declineCode } = error as OnePagePayError;
      emit('onepagepay:payment-failed', { code, declineCode, message });
    } finally {
      view.setBusy(false);
    }
  }

  const onHubSpotSubmitted = () => {
    const attemptId = flow?.attemptId();
    if (paid && attemptId) {
      const hutk = readHutk();
      void options.relay.reportFormSubmitted(paid.transactionId, {
        tenantId: options.tenantId,
        attemptId,
        ...(hutk ? { hutk } : {}),
      });
    } else if (!form) view?.show('The form was sent unpaid; nothing was charged. Pay above to complete it.');
  };

  function render(summary: string) {
    view = createStepView(anchor.ownerDocument, { summary, withPayButton: !form, nonce: options.nonce });
    if (options.container) options.container.append(view.root);
    else host.place(view.root);
    view.payButton?.addEventListener('click', () => state === 'ready' && void pay());
  }

  const doc = form?.ownerDocument;
  doc?.addEventListener('submit', onSubmit, true);
  const unsubscribe = host.onSubmitted(onHubSpotSubmitted);

  const step: PaymentStep = {
    async start(formConfig, status) {
      if (state === 'destroyed') return;
      if (!formConfig) {
        step.destroy();
        throw new OnePagePayError('form_not_configured', `No payment is configured for form ${host.formId}.`);
      }
      config = formConfig;
      const { amount, currency } = config;
      render(`${config.product.name}${amount ? `: ${formatAmount(amount, currency)}` : ''}`);
      provider = options.providers.map((create) => create(formConfig)).find(Boolean) ?? undefined;
      // Payer-chosen amounts (customAmount forms) are not offered by this SDK version: never unpaid.
      if (!amount || !provider || status?.providers[provider.name]?.status === 'down') return step.block();
      flow = createPayFlow(options.relay, provider);
      try {
        await provider.mount(view!.slot, {
          amount,
          currency,
          appearance: options.appearance,
          nonce: options.nonce,
        });
      } catch (error) {
        step.block();
        throw error;
      }
      if (state !== 'loading') return;
      state = 'ready';
      emit('onepagepay:ready', {});
      // A hint for the developer, not a condition of paying: `ready` never waits for the form's
      // answer (a v4 frame that is still loading answers late).
      host.missingFields().then((missing) => {
        if (missing.length) {
          console.warn(
            `[OnePagePay] Add the hidden properties ${missing} to HubSpot form ${host.formId} (docs/cdn.md).`,
          );
        }
      }, noop);
    },
    block() {
      if (state === 'destroyed') return;
      state = 'blocked';
      if (!view) render('Payment');
      view!.show(OUTAGE_MESSAGE);
    },
    async unreachable() {
      const named = options.named || !(await host.missingFields()).includes(TRANSACTION_FIELD);
      if (named) step.block();
      else step.destroy();
    },
    destroy() {
      state = 'destroyed';
      doc?.removeEventListener('submit', onSubmit, true);
      unsubscribe();
      provider?.destroy();
      view?.root.remove();
    },
  };
  return step;
}

const noop = () => undefined;

function checkContact(contact: Contact): Contact {
  if (!EMAIL.test(contact.email) || !contact.firstName || !contact.lastName) {
    throw new OnePagePayError('validation_error', 'Enter your email, first name and last name to pay.');
  }
  return contact;
}
