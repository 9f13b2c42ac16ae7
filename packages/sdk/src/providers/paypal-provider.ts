import { loadScript, type PayPalButtonsComponent, type PayPalNamespace } from '@paypal/paypal-js';
import type { PayPalOrder } from '@onepagepay/protocol';
import { createAttemptId } from '../attempt-id.js';
import { OnePagePayError } from '../errors.js';
import type { PayFlow, PayInput } from '../pay-flow.js';
import type { PaymentResult, RelayClient } from '../relay-client.js';
import type { MountOptions, PaymentProvider, PaymentProviderFactory } from './payment-provider.js';

const loads = new Map<string, Promise<PayPalNamespace>>();

/** PayPal's JS SDK, once per set of options; a failed load is forgotten so the next mount retries. */
function loadPayPalOnce(options: Parameters<typeof loadScript>[0]): Promise<PayPalNamespace> {
  const key = JSON.stringify(options);
  let load = loads.get(key);
  if (!load) {
    load = loadScript(options).then((paypal) => {
      if (!paypal?.Buttons)
        throw new OnePagePayError('provider_load_failed', 'PayPal is not available here.');
      return paypal;
    });
    load.catch(() => loads.delete(key));
    loads.set(key, load);
  }
  return load;
}

export const PAYPAL_MESSAGES = {
  useButton: 'Pay with the PayPal button above.',
  cancelled: 'PayPal was closed before paying. Nothing was charged; press PayPal to try again.',
  declined: 'PayPal declined that payment method. Nothing was charged; press PayPal and choose another.',
  failed: 'PayPal could not take the payment. Nothing was charged; please try again.',
};

/** Codes after which the attempt is over, so the next press is a new order (as in the card flow). */
const FINAL = ['price_changed', 'attempt_conflict', 'payment_failed'];

/**
 * PayPal Buttons (Orders v2 through the relay): createOrder asks the relay for an order at the
 * form's server-side price, onApprove has the relay capture it, and the payment step then writes the
 * hidden fields and submits the form once. One attempt id per payment: a press after a cancel reuses
 * it, so the relay answers with the same order (its PayPal-Request-Id) instead of a second one; a
 * second onApprove for an order shares its one capture call.
 */
export const paypalProvider: PaymentProviderFactory = (config) => {
  const keys = config.paypal;
  if (!keys || !config.providers.includes('paypal')) return null;
  let buttons: PayPalButtonsComponent | undefined;
  let destroyed = false;
  let attemptId: string | undefined;
  let relay: RelayClient;
  let challengeToken: MountOptions['challengeToken'];
  /** The payment running now: what the step asked for, and how to end it. */
  let running: { input: PayInput; settle(outcome: Promise<PaymentResult>): void } | null = null;
  const captures = new Map<string, Promise<PaymentResult>>();

  /** PayPal's own outcomes (cancelled, declined) are told under its buttons, as card errors are under the card. */
  let note: HTMLElement | undefined;
  const tell = (text: string) => {
    if (note) note.textContent = text;
  };
  const end = (outcome: Promise<PaymentResult>) => running?.settle(outcome);
  const fail = (code: string, message: string, cause?: unknown) => {
    if (!running) return;
    tell(message);
    end(Promise.reject(new OnePagePayError(code, message, { cause, shownBy: 'provider' })));
  };

  /** The step runs this as the form's payment: HubSpot's validation first, then PayPal's window. */
  const flowFor = (allow: (open: boolean) => void): PayFlow => ({
    attemptId: () => attemptId,
    async pay(input) {
      try {
        await input.contact;
      } catch (error) {
        allow(false);
        throw error;
      }
      attemptId ??= createAttemptId();
      try {
        return await new Promise<PaymentResult>((resolve, reject) => {
          running = {
            input,
            settle(outcome) {
              running = null;
              outcome.then(resolve, reject);
            },
          };
          allow(true);
        });
      } catch (error) {
        if (FINAL.includes((error as OnePagePayError).code)) attemptId = undefined;
        throw error;
      }
    },
  });

  function capture(orderId: string, tenantId: string): Promise<PaymentResult> {
    let call = captures.get(orderId);
    if (!call) {
      const path = `/v1/paypal/orders/${encodeURIComponent(orderId)}/capture`;
      call = relay.post<PaymentResult>(path, { tenantId, attemptId }).catch((error: OnePagePayError) => {
        captures.delete(orderId);
        if (error.code !== 'instrument_declined') throw error;
        tell(PAYPAL_MESSAGES.declined);
        throw new OnePagePayError('instrument_declined', PAYPAL_MESSAGES.declined, {
          status: error.status,
          declineCode: error.declineCode,
          shownBy: 'provider',
          cause: error,
        });
      });
      captures.set(orderId, call);
    }
    return call;
  }

  const provider: PaymentProvider = {
    name: 'paypal',
    ownButton: true,
    async mount(slot, options) {
      relay = options.relay;
      challengeToken = options.challengeToken;
      const paypal = await loadPayPalOnce({
        clientId: keys.clientId,
        currency: options.currency,
        intent: 'capture',
        components: 'buttons',
        ...(keys.merchantId ? { merchantId: keys.merchantId } : {}),
        ...(keys.sdkUrl ? { sdkBaseUrl: keys.sdkUrl } : {}),
        ...(options.nonce ? { dataCspNonce: options.nonce } : {}),
      });
      if (destroyed) return;
      buttons = paypal.Buttons!({
        style: { layout: 'vertical', label: 'pay' },
        // A press while the form cannot pay (HubSpot's validation fails, a payment runs) opens nothing.
        onClick: (_data, actions) =>
          new Promise<boolean>((allow) => {
            tell('');
            if (running || !options.pay(flowFor(allow))) allow(false);
          }).then((open) => (open ? actions.resolve() : actions.reject())),
        async createOrder() {
          const input = running?.input;
          if (!input) throw new OnePagePayError('validation_error', PAYPAL_MESSAGES.useButton);
          try {
            const order = await relay.post<PayPalOrder>('/v1/paypal/orders', {
              tenantId: input.tenantId,
              formId: input.formId,
              attemptId,
              amount: input.amount,
              hutk: input.hutk,
              pageUri: location.href.slice(0, 2048),
              challengeToken: challengeToken?.(),
            });
            return order.orderId;
          } catch (error) {
            // The relay's reason (price changed, outage) is the payer's message, not PayPal's onError.
            end(Promise.reject(error));
            throw error;
          }
        },
        async onApprove(data) {
          const tenantId = running?.input.tenantId;
          // A second onApprove for the same order gets the capture already under way.
          const call = tenantId ? capture(data.orderID, tenantId) : captures.get(data.orderID);
          if (call) end(call);
        },
        onCancel: () => fail('payment_cancelled', PAYPAL_MESSAGES.cancelled),
        // payment_failed: the step shows PayPal's failure itself (its message is the payer's).
        onError: (error) => {
          if (running)
            end(
              Promise.reject(new OnePagePayError('payment_failed', PAYPAL_MESSAGES.failed, { cause: error })),
            );
        },
      });
      if (!buttons.isEligible())
        throw new OnePagePayError('provider_load_failed', 'PayPal is not offered here.');
      await buttons.render(slot);
      note = slot.ownerDocument.createElement('div');
      note.className = 'opp-message';
      note.setAttribute('role', 'status');
      note.setAttribute('aria-live', 'polite');
      if (options.nonce) note.setAttribute('nonce', options.nonce);
      slot.append(note);
    },
    // The form's own submit cannot open PayPal's window (it needs the payer's press on the button).
    tokenize: async () => ({ error: PAYPAL_MESSAGES.useButton }),
    async handleNextAction() {},
    destroy() {
      destroyed = true;
      fail('payment_cancelled', PAYPAL_MESSAGES.cancelled);
      void buttons?.close();
    },
  };
  return provider;
};
