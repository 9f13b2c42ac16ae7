import type { OnePagePayError } from './errors.js';
import type { FormHost } from './hubspot/form-host.js';
import { watchForms } from './hubspot/watch-forms.js';
import { createPaymentStep, type PaymentStep } from './payment-step.js';
import { besideCard } from './providers/beside-card.js';
import type { PaymentProviderFactory } from './providers/payment-provider.js';
import { paypalProvider } from './providers/paypal-provider.js';
import { stripeProvider } from './providers/stripe-provider.js';
import { withChallenge } from './providers/with-challenge.js';
import { createRelayClient, type FormConfig, type RelayClient, type StatusResponse } from './relay-client.js';

export interface CommonOptions {
  /** Your OnePagePay tenant id (a UUID). */
  tenantId: string;
  /** Base URL of your relay, e.g. https://pay.example.com. */
  relayUrl: string;
  /** Stripe Elements appearance (theme, variables). */
  appearance?: unknown;
  /** CSP nonce put on every element the SDK injects. */
  nonce?: string | undefined;
  /**
   * Payment providers in order of preference; default: the card fields (Stripe) and, for forms whose
   * config enables PayPal, PayPal's buttons beside them.
   */
  providers?: PaymentProviderFactory[];
  /**
   * With the default providers: offer only these of the providers a form's config enables, e.g.
   * `'paypal'` or `'stripe'` (names separated by spaces or commas; the CDN script's
   * `data-providers`); default: all of them.
   */
  only?: string | undefined;
}

export interface AttachOptions extends CommonOptions {
  /** The HubSpot form GUID (the `formId` of its embed code). */
  formId: string;
  /** Where to render the payment step instead of above the form's submit button. */
  container?: HTMLElement | string;
}

export interface AttachHandle {
  /** Resolves when the payment fields are ready; rejects if the form is not configured or cannot load. */
  ready: Promise<void>;
  /** Removes the payment step and gives the form's submit back to HubSpot. */
  destroy(): void;
}

/** One relay client per attach call, sharing the status check and each form's config. */
export function openSession(options: CommonOptions) {
  const relay: RelayClient = createRelayClient(options.relayUrl);
  const status: Promise<StatusResponse | null> = relay.status().catch(() => null);
  const configs = new Map<string, Promise<FormConfig | null>>();
  const configFor = (formId: string) => {
    let config = configs.get(formId);
    if (!config) {
      config = relay.formConfig(options.tenantId, formId);
      config.catch(() => configs.delete(formId));
      configs.set(formId, config);
    }
    return config;
  };

  /** Holds the form's submit at once, then renders the step when the relay answered. */
  return (
    host: FormHost,
    container?: HTMLElement,
    named?: boolean,
  ): { step: PaymentStep; ready: Promise<void> } => {
    // tenantId, appearance and nonce come with the caller's options.
    const step = createPaymentStep(host, {
      ...options,
      relay,
      providers: options.providers ?? [
        withChallenge(besideCard(stripeProvider, paypalProvider, options.only)),
      ],
      container,
      named,
    });
    const ready = Promise.all([configFor(host.formId), status]).then(
      ([config, health]) => step.start(config, health),
      async (error: unknown) => {
        // No answer from the relay: keep holding a form that may be a paid one, let go of the rest.
        await step.unreachable();
        throw error;
      },
    );
    return { step, ready };
  };
}

/** Attaches the payment step to one HubSpot form, now or when it renders. */
export function attach(options: AttachOptions): AttachHandle {
  const startStep = openSession(options);
  const container =
    typeof options.container === 'string'
      ? (document.querySelector<HTMLElement>(options.container) ?? undefined)
      : options.container;
  let step: PaymentStep | undefined;
  let stop: () => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    stop = watchForms((host) => {
      if (step || host.formId !== options.formId) return;
      const started = startStep(host, container, true);
      step = started.step;
      queueMicrotask(() => stop());
      started.ready.then(resolve, reject);
    });
  });
  return {
    ready,
    destroy() {
      stop();
      step?.destroy();
    },
  };
}

/** Attaches to every HubSpot form on the page that has a configuration for the tenant, including later ones. */
export function attachAll(options: CommonOptions): { destroy(): void } {
  const startStep = openSession(options);
  const steps: PaymentStep[] = [];
  const stop = watchForms((host) => {
    const { step, ready } = startStep(host);
    steps.push(step);
    ready.catch((error: OnePagePayError) => {
      if (error.code !== 'form_not_configured') console.error('[OnePagePay]', error);
    });
  });
  return {
    destroy() {
      stop();
      for (const step of steps.splice(0)) step.destroy();
    },
  };
}
