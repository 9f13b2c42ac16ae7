import type { Logger } from '../logger.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends the relay's few mails (signup verification). Injected, so tests and the demo capture them. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/**
 * For development and the `npm start` demo only: no mail leaves the machine, the message is written
 * to the relay's log instead, verification link included, marked dev-only. Production sets
 * MERCHANT_SMTP_URL (see docs/merchants.md), and the relay warns at start when it is unset.
 */
export function logMailer(logger: Logger): Mailer {
  return {
    send: async (message) => {
      logger.warn(
        { devOnlyMail: { to: message.to, subject: message.subject, body: message.text } },
        'DEV ONLY: mail written to the log instead of sent (set MERCHANT_SMTP_URL to send mail)',
      );
    },
  };
}
