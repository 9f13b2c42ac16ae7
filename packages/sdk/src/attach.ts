import type { OnePagePayError } from './errors.js';
import type { FormHost } from './hubspot/form-host.js';
import { watchForms } from './hubspot/watch-forms.js';
import { PaymentStep } from './payment-step.js';
import type { PaymentProviderFactory } from './providers/payment-provider.js';
import { stripeProvider } from './providers/stripe-provider.js';
import { createRelayClient, type FormConfig, type RelayClient, type StatusResponse } from './relay-client.js';

export interface CommonOptions {
  /** Your OnePagePay tenant id (a UUID). */
  tenantId: string;
  /** Base URL of your relay, e.g. https://pay.example.com. */
  relayUrl: string;
  /** Stripe Elements appearance (theme, variables). */
  appearance?: unknown;
  /** CSP nonce put on every element the SDK injects. */
  nonce?: string;
  /** Payment providers in order of preference; default: Stripe. */
  providers?: PaymentProviderFactory[];
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

interface Session {
  relay: RelayClient;
  status: Promise<StatusResponse | null>;
  configs: Map<string, Promise<FormConfig | null>>;
}

function openSession(options: CommonOptions): Session {
  const relay = createRelayClient(options.relayUrl);
  return { relay, status: relay.status().catch(() => null), configs: new Map() };
}

function configFor(session: Session, tenantId: string, formId: string): Promise<FormConfig | null> {
  let config = session.configs.get(formId);
  if (!config) {
    config = session.relay.formConfig(tenantId, formId);
    config.catch(() => session.configs.delete(formId));
    session.configs.set(formId, config);
  }
  return config;
}

function startStep(
  session: Session,
  host: FormHost,
  options: CommonOptions,
  container?: HTMLElement,
): {
  step: PaymentStep;
  ready: Promise<void>;
} {
  const step = new PaymentStep(host, {
    tenantId: options.tenantId,
    relay: session.relay,
    providers: options.providers ?? [stripeProvider],
    container,
    appearance: options.appearance,
    nonce: options.nonce,
  });
  const ready = Promise.all([configFor(session, options.tenantId, host.formId), session.status]).then(
    ([config, status]) => step.start(config, status),
    (error: unknown) => {
      // The relay did not answer: keep holding the submit (the form may be a paid one) and say so.
      void step.start({ ...OUTAGE_CONFIG, formId: host.formId }, null);
      throw error;
    },
  );
  return { step, ready };
}

const OUTAGE_CONFIG: FormConfig = {
  tenantId: '',
  formId: '',
  livemode: false,
  product: { name: 'Payment' },
  amount: null,
  customAmount: null,
  currency: 'USD',
  providers: ['stripe'],
  stripe: null,
};

/** Attaches the payment step to one HubSpot form, now or when it renders. */
export function attach(options: AttachOptions): AttachHandle {
  const session = openSession(options);
  const container =
    typeof options.container === 'string'
      ? (document.querySelector<HTMLElement>(options.container) ?? undefined)
      : options.container;
  let step: PaymentStep | undefined;
  let stop: () => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    stop = watchForms((host) => {
      if (step || host.formId !== options.formId) return;
      stop();
      const started = startStep(session, host, options, container);
      step = started.step;
      started.ready.then(resolve, reject);
    });
    if (step) stop();
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
  const session = openSession(options);
  const steps: PaymentStep[] = [];
  const stop = watchForms((host) => {
    const { step, ready } = startStep(session, host, options);
    steps.push(step);
    ready.catch((error: unknown) => {
      if ((error as OnePagePayError).code !== 'form_not_configured') console.error('[OnePagePay]', error);
    });
  });
  return {
    destroy() {
      stop();
      for (const step of steps.splice(0)) step.destroy();
    },
  };
}
