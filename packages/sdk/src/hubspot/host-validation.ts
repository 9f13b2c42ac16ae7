import { wait } from '../pay-flow.js';

/** Whether the payer can see `element` (not in a hidden step, not display:none). */
export const isShown = (element: Element): boolean => element.getClientRects().length > 0;

/**
 * Asks HubSpot's own validation, as a payer leaving each field would: focusout on every field the
 * payer sees (both embeds are React apps, whose onBlur listens to focusout), then, once HubSpot had
 * a moment to render, looks for its error markers. HubSpot shows its own messages (required
 * fields, its email rule, blocked domains), and nothing is charged while any shows.
 */
export async function askHubSpot(form: HTMLFormElement): Promise<boolean> {
  for (const field of form.elements) {
    if (isShown(field)) field.dispatchEvent(new FocusEvent('focusout', { bubbles: true }));
  }
  await wait(60);
  // v2 marks an invalid input with the classes `invalid error`, v4 with aria-invalid.
  return !form.querySelector('.hs-input.invalid,[aria-invalid=true]');
}
