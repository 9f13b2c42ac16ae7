/**
 * HubSpot's rule for an email address (its forms and contacts refuse anything else): RFC 5322 dot-atom
 * local part, never quoted, at most 64 characters; a domain of at least two labels ending in a
 * top-level domain of letters (or an `xn--` IDN label); 254 characters in all. HubSpot also checks
 * the TLD against IANA's list, which is too long to ship to browsers: the relay adds that check
 * (iana-email.ts), so a made-up TLD is refused before anything is charged (see docs/sdk.md).
 */
export const HUBSPOT_EMAIL_PATTERN =
  "^(?=.{1,64}@)[\\w!#$%&'*+/=?^`{|}~-]+(\\.[\\w!#$%&'*+/=?^`{|}~-]+)*" +
  '@([\\p{L}\\p{N}]([\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?\\.)+(\\p{L}{2,63}|xn--[\\w-]{1,59})$';

const HUBSPOT_EMAIL = new RegExp(HUBSPOT_EMAIL_PATTERN, 'u');

/** True when HubSpot would take `email` as the value of a form's email field. */
export function isHubSpotEmail(email: string): boolean {
  return email.length <= 254 && HUBSPOT_EMAIL.test(email);
}
