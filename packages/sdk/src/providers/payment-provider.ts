import type { PayFlow } from '../pay-flow.js';
import type { FormConfig, RelayClient } from '../relay-client.js';

/** What the relay needs from a provider to charge: merged into POST /v1/payments. */
export interface PaymentSource {
  provider: 'stripe';
  stripe: { paymentMethodId: string } | { confirmationTokenId: string };
  /** The solved CAPTCHA, when the tenant asks for one (added by withChallenge). */
  challengeToken?: string;
}

/**
 * Outcome of tokenizing: a source, or a message for the payer (nothing was sent to the relay);
 * `shown` when the provider's own fields already display it.
 */
export type TokenizeResult = { source: PaymentSource } | { error: string; shown?: boolean };

export interface MountOptions {
  amount: number;
  currency: string;
  appearance?: unknown;
  nonce?: string | undefined;
  /** The relay, for providers whose own button runs the payment (PayPal's createOrder, onApprove). */
  relay: RelayClient;
  /**
   * For providers with their own button: runs `flow` as the form's payment (HubSpot's validation,
   * the busy state, messages, the hidden fields and the one submit). False while the step cannot
   * pay (loading, another payment running, paid); otherwise the payment's promise, which settles
   * after the step handled its outcome and never rejects.
   */
  pay(flow: PayFlow): false | Promise<void>;
  /**
   * The solved CAPTCHA for a payment a provider sends itself (PayPal's order), when the tenant asks
   * for one; each token is handed out once.
   */
  challengeToken?: () => string | undefined;
}

/**
 * One payment method family (Stripe's card fields, PayPal's buttons). The form adapters and the
 * payment step only talk to this interface, so a provider plugs in without them knowing its
 * internals. A provider with its own button (PayPal) takes the payment through `MountOptions.pay`;
 * its `tokenize` only tells the payer to use that button.
 */
export interface PaymentProvider {
  readonly name: string;
  /**
   * True when the provider's own button is its only way to pay (PayPal alone): beside a v4 frame
   * embed the step then shows no Pay button of its own, which could only say "use the button".
   */
  readonly ownButton?: boolean;
  /** Renders the provider's fields into `slot`; resolves once they are ready for input. */
  mount(slot: HTMLElement, options: MountOptions): Promise<void>;
  /**
   * Validates the fields and turns them into a single-use source. It submits the fields before it
   * awaits anything (wallets need the payer's gesture), then waits for `billing`; a rejected
   * `billing` rejects the call.
   */
  tokenize(billing: Promise<{ name: string; email: string }>): Promise<TokenizeResult>;
  /** Runs the provider's next action (3-D Secure); the relay decides the outcome afterwards. */
  handleNextAction(clientSecret: string): Promise<void>;
  destroy(): void;
}

/** Creates the provider for one form from its public config, or null if the form does not offer it. */
export type PaymentProviderFactory = (config: FormConfig) => PaymentProvider | null;
