import { startPassThrough } from './pass-through.js';

/**
 * A pass-through HTTP proxy between one relay and the Stripe sandbox. Armed, it lets the next
 * PaymentIntent creation reach Stripe and succeed there, then runs `onCharged` (which kills the
 * relay) before the relay sees the answer: the relay dies after the provider's success and before
 * its database commit, with no fault hook inside the relay.
 */
export class StripeGate {
  private armed: (() => Promise<void>) | undefined;
  private proxy!: Awaited<ReturnType<typeof startPassThrough>>;

  static async start(target: string): Promise<StripeGate> {
    const gate = new StripeGate();
    gate.proxy = await startPassThrough(target, async (exchange, reply, cut) => {
      const onCharged = gate.armed;
      if (
        onCharged &&
        exchange.method === 'POST' &&
        exchange.path === '/v1/payment_intents' &&
        exchange.upstream?.status === 200 &&
        /"status":\s*"succeeded"/.test(exchange.upstream.text)
      ) {
        gate.armed = undefined;
        await onCharged();
        return cut();
      }
      reply();
    });
    return gate;
  }

  get url(): string {
    return this.proxy.url;
  }

  /** The next successful PaymentIntent creation through this gate runs `onCharged` instead of answering. */
  arm(onCharged: () => Promise<void>): void {
    this.armed = onCharged;
  }

  close(): Promise<void> {
    return this.proxy.close();
  }
}
