import tlds from 'tlds' with { type: 'json' };
import { isHubSpotEmail } from './hubspot-email.js';

let ianaTopLevelDomains: ReadonlySet<string> | undefined;

/** A top-level domain as DNS spells it: ASCII, lower case, `xn--` for a Unicode label. */
function asciiLabel(label: string): string | undefined {
  try {
    return new URL(`http://x.${label}`).hostname.slice(2);
  } catch {
    return undefined;
  }
}

/**
 * True when HubSpot's forms would take `email`: its pattern (hubspot-email.ts) and a top-level
 * domain on IANA's root zone list, which HubSpot checks, so `ada@example.comm` passes the pattern
 * and is refused by the form after the payer has paid, unless the relay refuses it first. The list
 * (the `tlds` package, kept current) is too long for the browser bundle: the relay checks it.
 */
export function isDeliverableHubSpotEmail(email: string): boolean {
  if (!isHubSpotEmail(email)) return false;
  // Built on first use, not at import: about 1,500 labels through the URL parser.
  ianaTopLevelDomains ??= new Set(tlds.map(asciiLabel).filter((label) => label !== undefined));
  const label = asciiLabel(email.slice(email.lastIndexOf('.') + 1));
  return label !== undefined && ianaTopLevelDomains.has(label);
}
