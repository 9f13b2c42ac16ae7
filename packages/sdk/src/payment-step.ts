import { OnePagePayError } from './errors.js';
import { dispatchPaymentEvent, type OnePagePayEventMap, type OnePagePayEventName } from './events.js';
import { readHutk, TRANSACTION_FIELD, type Contact, type FormHost } from './hubspot/form-host.js';
import { FORM_CLOSED_MESSAGE, formatAmount, messageFor, OUTAGE_MESSAGE, receiptFor } from './messages.js';
import { createPayFlow, type PayFlow } from './pay-flow.js';
import type { PaymentProvider, PaymentProviderFactory } from './providers/payment-provider.js';
import {
  noop,
  type FormConfig,
  type PaymentResult,
  type RelayClient,
  type StatusResponse,
} from './relay-client.js';
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

/** `closed`: the frame embed was sent unpaid and is gone; nothing can be paid for it any more. */
// Numbers, not strings: a const enum inlines to digits, which keeps the CDN bundle within budget.
const enum State {
  Loading,
  Blocked,
  Ready,
  Paying,
  Paid,
  Closed,
  Destroyed,
}

/**
 * The payment step of one form. It owns the form's submit from the moment the form is found: a
 * capture-phase listener holds every submit (button or Enter) until the payment succeeded, then
 * lets exactly one native submit through, carrying the transaction id.
 */
export function createPaymentStep(host: FormHost, options: StepOptions): PaymentStep {
  const { form, anchor } = host;
  /** The form's parent, which keeps HubSpot's thank-you after the form is gone. */
  const formHome = form?.parentElement;
  let state: State = State.Loading;
  let view: StepView | undefined;
  let provider: PaymentProvider | undefined;
  let flow: PayFlow | undefined;
  let config: FormConfig | undefined;
  let paid: PaymentResult | undefined;
  /** The email in the form when the paid submit was let through (HubSpot sends what it reads then). */
  let sentEmail: string | undefined;
  let letThrough = false;
  /** The form's amount as the payer reads it ("$49.00"). */
  let price = '';

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
    if (letThrough || state === State.Paid || state === State.Destroyed) return;
    // Unknown config: hold only what looks like a payment form, so an outage never blocks a newsletter.
    if (state === State.Loading && !options.named && !form?.querySelector(`[name$="${TRANSACTION_FIELD}"]`))
      return;
    // A step before the last of a multi-step form: the submit is HubSpot's Next, never a payment.
    if (!host.onLastStep()) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (!payIfReady() && state === State.Loading) view?.show('The payment form is still loading.', 'info');
  };

  /**
   * HubSpot's own validation first (its fields show why; the relay also refuses an email HubSpot's
   * rule refuses): nothing is charged for a form HubSpot would not take.
   */
  async function readAcceptedContact(): Promise<Contact> {
    const valid = await host.validateFields();
    const contact = await host.readContact();
    if (!valid) throw new OnePagePayError('validation_error', '', { shownBy: 'form' });
    if (!contact.email || !contact.firstName || !contact.lastName) {
      throw new OnePagePayError('validation_error', 'Enter your email and name to pay.');
    }
    return contact;
  }

  /** Pays (the card flow, or a button provider's `own`) if the step is ready; false if not. */
  const payIfReady = (own?: PayFlow) => state === State.Ready && pay(own);

  /**
   * Runs one payment through `using`: the card flow on submit, or a button provider's own flow.
   * Only called through payIfReady: ready means the view, the config and the card flow exist.
   */
  async function pay(using = flow!): Promise<void> {
    state = State.Paying;
    view!.setBusy(true);
    view!.show('Processing your payment…', 'info');
    emit('onepagepay:payment-started', { amount: config!.amount! });
    try {
      const result = await using.pay({
        tenantId: options.tenantId,
        formId: config!.formId,
        contact: readAcceptedContact(),
        hutk: readHutk(),
      });
      paid = result;
      // The paid attempt (card or button) is the one the form-submitted report names.
      flow = using;
      state = State.Paid;
      await host.writePayment(result.transactionId, result.status);
      const { transactionId, status } = result;
      emit('onepagepay:payment-succeeded', { transactionId, status, amount: result.amount });
      const receipt = receiptFor(price, transactionId);
      provider?.destroy();
      if (form) {
        view!.show(`${receipt} Sending the form…`, 'info', true);
        sentEmail = (await host.readContact().catch(() => undefined))?.email;
        letThrough = true;
        form.requestSubmit();
        letThrough = false;
      } else view!.show(`${receipt} Now submit the form to finish.`, 'info', true);
    } catch (error) {
      if ((state as State) === State.Destroyed) return;
      state = State.Ready;
      const message = messageFor(error);
      const { code = 'unknown', declineCode, shownBy } = error as OnePagePayError;
      // An error the card fields or HubSpot's form already show beside the field is not repeated.
      view!.show(shownBy ? '' : message);
      emit('onepagepay:payment-failed', { code, declineCode, message });
    } finally {
      view!.setBusy(false);
    }
  }

  const onHubSpotSubmitted = () => {
    const attemptId = flow?.attemptId();
    if (paid && attemptId) {
      // Undefined values stay out of the JSON.
      void options.relay.reportFormSubmitted(paid.transactionId, {
        tenantId: options.tenantId,
        attemptId,
        hutk: readHutk(),
        email: sentEmail,
      });
      // HubSpot replaced the form with its thank-you: the receipt stays where the form was.
      if (view && !view.root.isConnected) formHome?.append(view.root);
    } else if (!form) {
      // The frame replaced the form with its thank-you: a payment now would reach no submission.
      state = State.Closed;
      provider?.destroy();
      view?.show(FORM_CLOSED_MESSAGE, 'error', true);
    }
  };

  function render(summary: string, payLabel?: string) {
    view = createStepView(anchor.ownerDocument, { summary, payLabel, nonce: options.nonce });
    if (options.container) options.container.append(view.root);
    else host.place(view.root);
    view.payButton?.addEventListener('click', () => payIfReady());
  }

  const doc = form?.ownerDocument;
  doc?.addEventListener('submit', onSubmit, true);
  const unsubscribe = host.onSubmitted(onHubSpotSubmitted);

  const step: PaymentStep = {
    async start(formConfig, status) {
      if (state === State.Destroyed) return;
      if (!formConfig) {
        step.destroy();
        throw new OnePagePayError('form_not_configured', `No payment configured for form ${host.formId}.`);
      }
      config = formConfig;
      const { amount, currency } = config;
      price = amount ? formatAmount(amount, currency, config.currencyDecimals) : '';
      provider = options.providers.map((create) => create(formConfig)).find(Boolean) ?? undefined;
      // Beside a frame the step needs a Pay button of its own, unless the provider's button pays.
      render(
        `${config.product.name}${price ? `: ${price}` : ''}`,
        form || provider?.ownButton ? undefined : `Pay ${price}`,
      );
      // Payer-chosen amounts (customAmount forms) are not offered by this SDK version: never unpaid.
      // HubSpot down would reject the form after the payer paid: they are told before they start.
      if (
        !amount ||
        !provider ||
        status?.providers[provider.name]?.status === 'down' ||
        status?.providers.hubspot?.status === 'down'
      )
        return step.block();
      flow = createPayFlow(options.relay, provider);
      try {
        // The step's options carry the relay, appearance and nonce the provider needs.
        await provider.mount(view!.slot, {
          ...options,
          amount,
          currency,
          pay: payIfReady,
        });
      } catch (error) {
        step.block();
        throw error;
      }
      if (state !== State.Loading) return;
      state = State.Ready;
      emit('onepagepay:ready', {});
      // A hint for the developer, not a condition of paying: `ready` never waits for the form's
      // answer (a v4 frame that is still loading answers late).
      host.missingFields().then((missing) => {
        if (missing.length) console.warn('[OnePagePay] Add hidden properties to form', host.formId, missing);
      }, noop);
    },
    block() {
      if (state === State.Destroyed || state === State.Closed) return;
      state = State.Blocked;
      if (!view) render('Payment');
      view!.show(OUTAGE_MESSAGE);
    },
    async unreachable() {
      const named = options.named || !(await host.missingFields()).includes(TRANSACTION_FIELD);
      if (named) step.block();
      else step.destroy();
    },
    destroy() {
      state = State.Destroyed;
      doc?.removeEventListener('submit', onSubmit, true);
      unsubscribe();
      provider?.destroy();
      view?.root.remove();
    },
  };
  return step;
}
