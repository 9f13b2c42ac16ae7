import nodemailer from 'nodemailer';
import type { Mailer } from './mailer.js';

/**
 * Sends mail through an SMTP server (the operator's provider: SES, Postmark, Mailgun, a relay host)
 * given as MERCHANT_SMTP_URL, e.g. smtps://user:pass@smtp.example.com:465. Each message is text only.
 */
export function smtpMailer(options: { url: URL; from: string; timeoutMs?: number }): Mailer {
  const timeout = options.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({
    url: options.url.href,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    send: async (message) => {
      await transport.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
    },
  };
}
