import type { MailMessage, Mailer } from '../mail/mailer.js';

/** A mailbox for tests: the relay's mailer interface, keeping every message instead of sending it. */
export class MailCapture implements Mailer {
  readonly messages: MailMessage[] = [];

  async send(message: MailMessage): Promise<void> {
    this.messages.push(message);
  }

  /** Every message sent to one address, oldest first. */
  to(address: string): MailMessage[] {
    const wanted = address.trim().toLowerCase();
    return this.messages.filter((message) => message.to.toLowerCase() === wanted);
  }

  /** The verification token of the newest signup mail to the address, as a person would copy it. */
  signupTokenFor(address: string): string | undefined {
    const mail = this.to(address).findLast((message) => /Verification token: /.test(message.text));
    return mail ? /Verification token: ([A-Za-z0-9_-]{43})/.exec(mail.text)?.[1] : undefined;
  }

  /** The token of the newest invitation mail to the address, as the invitee would copy it. */
  invitationTokenFor(address: string): string | undefined {
    const mail = this.to(address).findLast((message) => /Invitation token: /.test(message.text));
    return mail ? /Invitation token: ([A-Za-z0-9_-]{43})/.exec(mail.text)?.[1] : undefined;
  }
}
