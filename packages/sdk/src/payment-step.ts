import { OnePagePayError, isOnePagePayError } from './errors.js';
import { dispatchPaymentEvent, type OnePagePayEventDetail, type OnePagePayEventName } from './events.js';
import { readHutk, type Contact, type FormHost } from './hubspot/form-host.js';
import { exponentOf, formatAmount, messageFor, OUTAGE_MESSAGE } from './messages.js';
import { PayFlow } from './pay-flow.js';
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
}

type State = 'loading' | 'blocked' | 'ready' | 'paying' | 'paid' | 'destroyed';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The payment step of one form. It owns the form's submit from the moment the form is found: a
 * capture-phase listener holds every submit (button or Enter) until the payment succeeded, then
 * lets exactly one native submit through, carrying the transaction id.
 */
export class PaymentStep {
  private state: State = 'loading';
  private view: StepView | undefined;
  private provider: PaymentProvider | undefined;
  private flow: PayFlow | undefined;
  private config: FormConfig | undefined;
  private paid: PaymentResult | undefined;
  private letThrough = false;
  private readonly cleanups: Array<() => void> = [];

  constructor(
    readonly host: FormHost,
    private readonly options: StepOptions,
  ) {
    const doc = host.form?.ownerDocument;
    if (doc) {
      doc.addEventListener('submit', this.onSubmit, true);
      this.cleanups.push(() => doc.removeEventListener('submit', this.onSubmit, true));
    }
    this.cleanups.push(host.onSubmitted(() => this.onHubSpotSubmitted()));
  }

  /** Renders the step for `config` (null: the form is not configured, so the step lets go). */
  async start(config: FormConfig | null, status: StatusResponse | null): Promise<void> {
    if (this.state === 'destroyed') return;
    if (!config) {
      this.destroy();
      throw new OnePagePayError(
        'form_not_configured',
        `No payment is configured for form ${this.host.formId}.`,
      );
    }
    this.config = config;
    const amount = config.amount ?? config.customAmount?.min ?? 0;
    const exponent = exponentOf(config.currency);
    const major = (minor: number) => (minor / 10 ** exponent).toFixed(exponent);
    const view = createStepView(this.host.anchor.ownerDocument, {
      summary: `${config.product.name}: ${config.amount === null ? config.currency : formatAmount(amount, config.currency)}`,
      customAmount: config.customAmount
        ? { min: major(config.customAmount.min), max: major(config.customAmount.max) }
        : null,
      payLabel: this.host.form ? null : 'Pay',
      nonce: this.options.nonce,
    });
    this.view = view;
    if (this.options.container) this.options.container.append(view.root);
    else this.host.place(view.root);
    view.payButton?.addEventListener('click', () => this.state === 'ready' && void this.pay());
    view.amountInput?.addEventListener('change', () => {
      const minor = this.customAmount();
      if (minor) this.provider?.updateAmount(minor);
    });

    const provider = this.options.providers.map((create) => create(config)).find(Boolean);
    const down = provider && status?.providers[provider.name]?.status === 'down';
    if (!provider || down) return this.block();
    this.provider = provider;
    this.flow = new PayFlow(this.options.relay, provider);
    try {
      await provider.mount(view.slot, {
        amount,
        currency: config.currency,
        appearance: this.options.appearance,
        ...(this.options.nonce ? { nonce: this.options.nonce } : {}),
      });
    } catch (error) {
      this.block();
      throw error;
    }
    if (this.state !== 'loading') return;
    this.state = 'ready';
    this.emit('onepagepay:ready', {});
    const missing = await this.host.missingFields().catch(() => []);
    if (missing.length) {
      console.warn(
        `[OnePagePay] HubSpot form ${this.host.formId} lacks the hidden properties ${missing.join(', ')}: ` +
          'HubSpot drops values of fields the form does not contain. Add them as hidden fields (see docs/cdn.md).',
      );
    }
  }

  destroy(): void {
    this.state = 'destroyed';
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.provider?.destroy();
    this.view?.root.remove();
  }

  private block(): void {
    this.state = 'blocked';
    this.view?.show(OUTAGE_MESSAGE);
  }

  private readonly onSubmit = (event: Event) => {
    if (event.target !== this.host.form) return;
    if (this.letThrough) {
      this.letThrough = false;
      return;
    }
    if (this.state === 'paid' || this.state === 'destroyed') return;
    // Invalid host fields: let HubSpot's own validation show its errors; nothing is charged.
    if (!this.hostFieldsValid()) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (this.state === 'ready') void this.pay();
    else if (this.state === 'loading') this.view?.show('The payment form is still loading.', 'info');
  };

  private hostFieldsValid(): boolean {
    const fields = [...(this.host.form?.elements ?? [])] as HTMLInputElement[];
    return fields.every((field) => {
      if (this.view?.root.contains(field) || field.type === 'hidden' || field.type === 'submit') return true;
      const value = (field.value ?? '').trim();
      if (field.required && !value) return false;
      return !(value && /email$/.test(field.name) && !EMAIL.test(value));
    });
  }

  private customAmount(): number | undefined {
    const input = this.view?.amountInput;
    const range = this.config?.customAmount;
    if (!input || !range || !this.config) return undefined;
    const minor = Math.round(Number(input.value) * 10 ** exponentOf(this.config.currency));
    return minor >= range.min && minor <= range.max ? minor : undefined;
  }

  private async pay(): Promise<void> {
    const { flow, view, config } = this;
    if (!flow || !view || !config) return;
    this.state = 'paying';
    view.setBusy(true);
    view.show('Processing your payment…', 'info');
    const amount = config.customAmount ? this.customAmount() : undefined;
    this.emit('onepagepay:payment-started', { amount: amount ?? config.amount ?? undefined });
    try {
      if (config.customAmount && amount === undefined) {
        throw new OnePagePayError('validation_error', 'Enter an amount within the allowed range.');
      }
      const contact = this.host.readContact().then(checkContact);
      const result = await flow.pay({
        tenantId: this.options.tenantId,
        formId: config.formId,
        contact,
        amount,
        hutk: readHutk(),
      });
      this.paid = result;
      this.state = 'paid';
      await this.host.writePayment(result.transactionId, result.status);
      this.emit('onepagepay:payment-succeeded', {
        transactionId: result.transactionId,
        status: result.status,
        amount: result.amount,
      });
      if (this.host.form) {
        view.show('Payment received. Sending the form…', 'info');
        this.letThrough = true;
        this.host.form.requestSubmit();
        this.letThrough = false;
      } else {
        view.show('Payment received. Now submit the form to finish.', 'info');
      }
    } catch (error) {
      if ((this.state as State) === 'destroyed') return;
      this.state = 'ready';
      const message = messageFor(error);
      view.show(message);
      this.emit('onepagepay:payment-failed', {
        code: isOnePagePayError(error) ? error.code : 'unknown',
        ...(isOnePagePayError(error) && error.declineCode ? { declineCode: error.declineCode } : {}),
        message,
      });
    } finally {
      view.setBusy(false);
    }
  }

  private onHubSpotSubmitted(): void {
    if (this.paid && this.flow?.attemptId) {
      const hutk = readHutk();
      void this.options.relay.reportFormSubmitted(this.paid.transactionId, {
        tenantId: this.options.tenantId,
        attemptId: this.flow.attemptId,
        ...(hutk ? { hutk } : {}),
      });
      this.view?.show('Payment received and form sent. Thank you!', 'info');
    } else if (!this.host.form) {
      this.view?.show('This form was sent without a payment: nothing was charged. Pay above to complete it.');
    }
  }

  private emit(name: OnePagePayEventName, detail: Omit<OnePagePayEventDetail, 'formId'>): void {
    const { form, anchor } = this.host;
    const targets = form && form.ownerDocument !== anchor.ownerDocument ? [form, anchor] : [form ?? anchor];
    dispatchPaymentEvent(targets, name, {
      formId: this.host.formId,
      currency: this.config?.currency,
      ...detail,
    });
  }
}

function checkContact(contact: Contact): Contact {
  if (!EMAIL.test(contact.email) || !contact.firstName || !contact.lastName) {
    throw new OnePagePayError(
      'validation_error',
      'Enter your email address, first name and last name to pay.',
    );
  }
  return contact;
}
