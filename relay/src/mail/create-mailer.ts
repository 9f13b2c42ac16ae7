import type { RelayConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { logMailer, type Mailer } from './mailer.js';
import { smtpMailer } from './smtp-mailer.js';

/** SMTP when MERCHANT_SMTP_URL is set; otherwise the log, with a warning at start that says so. */
export function createMailer(config: Pick<RelayConfig, 'merchant'>, logger: Logger): Mailer {
  const { smtpUrl, mailFrom } = config.merchant;
  if (smtpUrl) return smtpMailer({ url: smtpUrl, from: mailFrom });
  logger.warn(
    'MERCHANT_SMTP_URL is unset: signup verification mails are written to the log. Development only; set it in production',
  );
  return logMailer(logger);
}
