import type { OnePagePayEventMap } from '../events.js';
import { loadWidgetApi, type WidgetApi } from './challenge-widget.js';
import type { PaymentProvider, PaymentProviderFactory } from './payment-provider.js';

/** The relay's answers that mean: show the CAPTCHA (again) and pay once it is solved. */
const CHALLENGE_CODES = ['challenge_required', 'challenge_failed'];

/**
 * Adds the tenant's CAPTCHA (Cloudflare Turnstile or hCaptcha, from the form's config) below the
 * providers' fields: rendered at once when every payment needs it, or when the relay first answers
 * challenge_required (after a decline). The solved token goes with the next payment, the card's
 * POST /v1/payments or PayPal's order, and is single-use, so the widget is reset once it is sent.
 * The relay verifies the token; without one it refuses, so nothing here is the defence itself.
 */
export function withChallenge(inner: PaymentProviderFactory): PaymentProviderFactory {
  return (config) => {
    const provider = inner(config);
    const challenge = config.challenge;
    if (!provider || !challenge) return provider;
    let api: WidgetApi | undefined;
    let widgetId: string | undefined;
    let shown: Promise<void> | undefined;
    let token: string | undefined;
    let box: HTMLElement | undefined;
    let nonce: string | undefined;
    let destroyed = false;

    /** The token for the payment being sent; the widget then asks for a fresh one for the next. */
    const take = () => {
      const taken = token;
      if (taken) {
        token = undefined;
        api?.reset(widgetId);
      }
      return taken;
    };

    /** Renders the widget once; a failed script load is tried again on the next refusal. */
    const show = () =>
      (shown ??= (async () => {
        const loaded = await loadWidgetApi(challenge, box!.ownerDocument, nonce);
        if (destroyed) return;
        api = loaded;
        widgetId = api.render(box!, {
          sitekey: challenge.siteKey,
          callback: (solved) => (token = solved),
          'error-callback': () => (token = undefined),
          'expired-callback': () => (token = undefined),
        });
      })().catch((error: unknown) => {
        shown = undefined;
        console.warn('[OnePagePay] The CAPTCHA did not load.', error);
      }));

    const onFailed = (event: OnePagePayEventMap['onepagepay:payment-failed']) => {
      const { formId, code } = event.detail;
      if (formId === config.formId && CHALLENGE_CODES.includes(code)) void show();
    };

    const wrapped: PaymentProvider = {
      name: provider.name,
      async mount(slot, options) {
        const doc = slot.ownerDocument;
        nonce = options.nonce;
        box = doc.createElement('div');
        box.className = 'opp-challenge';
        box.style.marginTop = '12px';
        if (nonce) box.setAttribute('nonce', nonce);
        doc.addEventListener('onepagepay:payment-failed', onFailed);
        await provider.mount(slot, { ...options, challengeToken: take });
        slot.append(box);
        if (challenge.policy === 'always') await show();
      },
      async tokenize(billing) {
        const result = await provider.tokenize(billing);
        if (!('source' in result)) return result;
        const challengeToken = take();
        return challengeToken ? { source: { ...result.source, challengeToken } } : result;
      },
      handleNextAction: (clientSecret) => provider.handleNextAction(clientSecret),
      destroy() {
        destroyed = true;
        box?.ownerDocument.removeEventListener('onepagepay:payment-failed', onFailed);
        if (widgetId !== undefined) api?.remove(widgetId);
        box?.remove();
        provider.destroy();
      },
    };
    return wrapped;
  };
}
