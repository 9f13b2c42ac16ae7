import type { Stripe, StripeElements, StripeElementsOptionsMode } from '@stripe/stripe-js';
import { loadStripe } from '@stripe/stripe-js/pure';
import type { FormConfig } from '../relay-client.js';
import { OnePagePayError } from '../errors.js';
import type { PaymentProvider, PaymentProviderFactory } from './payment-provider.js';

const loads = new Map<string, Promise<Stripe>>();

/** One Stripe instance per key and account; a failed load is forgotten so the next call retries. */
function loadStripeOnce(publishableKey: string, accountId: string | null): Promise<Stripe> {
  const key = `${publishableKey}:${accountId ?? ''}`;
  let load = loads.get(key);
  if (!load) {
    load = loadStripe(publishableKey, accountId ? { stripeAccount: accountId } : undefined).then((stripe) => {
      if (!stripe) throw new OnePagePayError('provider_load_failed', 'Stripe.js is not available here.');
      return stripe;
    });
    load.catch(() => loads.delete(key));
    loads.set(key, load);
  }
  return load;
}

/** The Stripe Payment Element in deferred-intent mode: the relay creates the PaymentIntent. */
export const stripeProvider: PaymentProviderFactory = (config: FormConfig) => {
  const keys = config.stripe;
  if (!keys || !config.providers.includes('stripe')) return null;
  let stripe: Stripe | undefined;
  let elements: StripeElements | undefined;
  let destroyed = false;

  const provider: PaymentProvider = {
    name: 'stripe',
    async mount(slot, options) {
      stripe = await loadStripeOnce(keys.publishableKey, keys.accountId);
      if (destroyed) return;
      elements = stripe.elements({
        mode: 'payment',
        amount: options.amount,
        currency: options.currency.toLowerCase(),
        paymentMethodCreation: 'manual',
        appearance: options.appearance,
      } as StripeElementsOptionsMode);
      const element = elements.create('payment', { layout: 'tabs' });
      await new Promise<void>((resolve, reject) => {
        element.on('ready', () => resolve());
        element.on('loaderror', (event: { error: { message?: string } }) =>
          reject(new OnePagePayError('provider_load_failed', `${event.error.message}`)),
        );
        element.mount(slot);
      });
    },
    async tokenize(billing) {
      // Only called once mount() resolved.
      const [submitted, details] = await Promise.all([elements!.submit(), billing]);
      const result = submitted.error
        ? submitted
        : await stripe!.createPaymentMethod({
            elements: elements!,
            params: { billing_details: { name: details.name, email: details.email } },
          });
      const error = result.error?.message ?? 'Check your card details.';
      // The Payment Element shows what elements.submit() found beside the field itself.
      if (submitted.error) return { error, shown: true };
      if (result.error) return { error };
      return {
        source: {
          provider: 'stripe',
          stripe: { paymentMethodId: (result as { paymentMethod: { id: string } }).paymentMethod.id },
        },
      };
    },
    async handleNextAction(clientSecret) {
      await stripe?.handleNextAction({ clientSecret });
    },
    destroy() {
      destroyed = true;
      elements?.getElement('payment')?.destroy();
    },
  };
  return provider;
};
