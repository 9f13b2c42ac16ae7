import { createSign, createVerify, generateKeyPair, randomUUID, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';
import type { PayPalWebhookAttempt, PayPalWebhookTarget } from './types.js';

export interface PayPalEvent {
  id: string;
  event_version: string;
  create_time: string;
  resource_type: string;
  resource_version: string;
  event_type: string;
  summary: string;
  resource: Record<string, unknown>;
  links: { href: string; rel: string; method: string }[];
}

export interface SignedHeaders {
  'PAYPAL-TRANSMISSION-ID': string;
  'PAYPAL-TRANSMISSION-TIME': string;
  'PAYPAL-TRANSMISSION-SIG': string;
  'PAYPAL-CERT-URL': string;
  'PAYPAL-AUTH-ALGO': 'SHA256withRSA';
}

/**
 * PayPal signs `transmission_id|transmission_time|webhook_id|crc32(body)` with SHA256withRSA and
 * names the certificate in PAYPAL-CERT-URL. Receivers either check that themselves or ask
 * verify-webhook-signature; the fake keeps its key pair and answers the latter.
 */
export class WebhookSigner {
  /**
   * A signer with a new RSA key, generated on libuv's thread pool (~0.1 s of CPU) rather than the
   * main thread, so `npm start` does other start-up work meanwhile.
   */
  static async create(certUrl: () => string): Promise<WebhookSigner> {
    return new WebhookSigner(certUrl, await promisify(generateKeyPair)('rsa', { modulusLength: 2048 }));
  }

  private constructor(
    private readonly certUrl: () => string,
    private readonly keys: { publicKey: KeyObject; privateKey: KeyObject },
  ) {}

  publicKeyPem(): string {
    return this.keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  sign(body: string, webhookId: string, transmissionTime: string): SignedHeaders {
    const transmissionId = randomUUID();
    const signature = createSign('sha256')
      .update(`${transmissionId}|${transmissionTime}|${webhookId}|${crc32(body)}`)
      .sign(this.keys.privateKey, 'base64');
    return {
      'PAYPAL-TRANSMISSION-ID': transmissionId,
      'PAYPAL-TRANSMISSION-TIME': transmissionTime,
      'PAYPAL-TRANSMISSION-SIG': signature,
      'PAYPAL-CERT-URL': this.certUrl(),
      'PAYPAL-AUTH-ALGO': 'SHA256withRSA',
    };
  }

  verify(input: {
    transmissionId: string;
    transmissionTime: string;
    transmissionSig: string;
    webhookId: string;
    certUrl: string;
    body: string;
  }): boolean {
    if (input.certUrl !== this.certUrl()) return false;
    const message = `${input.transmissionId}|${input.transmissionTime}|${input.webhookId}|${crc32(input.body)}`;
    try {
      return createVerify('sha256')
        .update(message)
        .verify(this.keys.publicKey, input.transmissionSig, 'base64');
    } catch {
      return false;
    }
  }
}

/** Delivers events to one endpoint, signed, retrying a failed delivery after each delay. */
export class PayPalWebhookDispatcher {
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;
  readonly attempts: PayPalWebhookAttempt[] = [];

  constructor(
    private readonly signer: WebhookSigner,
    private readonly retryDelaysMs: readonly number[],
    private readonly now: () => string,
  ) {}

  deliver(event: PayPalEvent, target: PayPalWebhookTarget | null): Promise<void> {
    if (target === null || this.closed) return Promise.resolve();
    const delivery = this.run(event, target).finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
    return delivery;
  }

  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.settle();
  }

  private async run(event: PayPalEvent, target: PayPalWebhookTarget): Promise<void> {
    const body = JSON.stringify(event);
    for (let attempt = 1; attempt <= this.retryDelaysMs.length + 1 && !this.closed; attempt += 1) {
      const status = await this.post(body, target);
      this.attempts.push({
        eventId: event.id,
        eventType: event.event_type,
        url: target.url,
        status,
        attempt,
      });
      if (status >= 200 && status < 300) return;
      const delay = this.retryDelaysMs[attempt - 1];
      if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private async post(body: string, target: PayPalWebhookTarget): Promise<number> {
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'PayPal/AUHD-214.0-58422875',
          ...this.signer.sign(body, target.webhookId, this.now()),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  }
}
