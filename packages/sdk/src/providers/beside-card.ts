import type { PaymentProvider, PaymentProviderFactory } from './payment-provider.js';

/**
 * Offers a provider with its own button (PayPal) beside the card fields when a form takes both:
 * the card fields answer the form's submit, the button runs its own payment. A form that takes one
 * of them gets that one alone. If the button provider fails to load, the card fields still work.
 * `only` (names separated by spaces or commas) narrows the providers the form's config enables:
 * the page's choice, never a widening.
 */
export function besideCard(
  card: PaymentProviderFactory,
  button: PaymentProviderFactory,
  only?: string,
): PaymentProviderFactory {
  const names = only?.split(/[\s,]+/);
  return (formConfig) => {
    const config = names
      ? { ...formConfig, providers: formConfig.providers.filter((name) => names.includes(name)) }
      : formConfig;
    const fields = card(config);
    const own = button(config);
    if (!fields || !own) return fields ?? own;
    const both: PaymentProvider = {
      name: fields.name,
      async mount(slot, options) {
        const doc = slot.ownerDocument;
        const [fieldsSlot, buttonSlot] = [doc.createElement('div'), doc.createElement('div')];
        // As on everything else the SDK injects (a policy may check more than scripts and styles).
        if (options.nonce)
          for (const div of [fieldsSlot, buttonSlot]) div.setAttribute('nonce', options.nonce);
        buttonSlot.className = 'opp-buttons';
        buttonSlot.style.marginTop = '12px';
        slot.append(fieldsSlot, buttonSlot);
        await Promise.all([
          fields.mount(fieldsSlot, options),
          own.mount(buttonSlot, options).catch((error: unknown) => {
            buttonSlot.remove();
            console.warn('[OnePagePay] PayPal did not load; the card fields still work.', error);
          }),
        ]);
      },
      tokenize: (billing) => fields.tokenize(billing),
      handleNextAction: (clientSecret) => fields.handleNextAction(clientSecret),
      destroy() {
        fields.destroy();
        own.destroy();
      },
    };
    return both;
  };
}
