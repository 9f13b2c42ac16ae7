/** Whether the payer can see `element` (not in a hidden step, not display:none). */
export const isShown = (element: Element): boolean => element.getClientRects().length > 0;

type Field = HTMLInputElement;

const isFillable = (field: Field): boolean =>
  !/^(hidden|submit|button|reset|image)$/.test(field.type) && isShown(field);

/**
 * A required field the payer sees is empty: HubSpot refuses that submit by itself (its own rule,
 * nothing to interpret), so the SDK lets HubSpot show its errors.
 */
export function missesRequired(form: HTMLFormElement): boolean {
  return [...form.elements].some((element) => {
    const field = element as Field;
    if (!field.required || !isFillable(field)) return false;
    // A checkbox's value is "on" whether ticked or not: ask whether one of its name is checked.
    return /checkbox|radio/.test(field.type)
      ? !form.querySelector(`[name="${field.name}"]:checked`)
      : !(field.value ?? '').trim();
  });
}

/**
 * Asks HubSpot's own validation, as a payer leaving each field would: focusout on every field the
 * payer sees (both embeds are React apps, whose onBlur listens to focusout), then, once HubSpot had a
 * moment to render, reads its error markers. HubSpot knows rules the SDK cannot (blocked email
 * domains, its TLD list), so nothing is charged while it shows one.
 */
export async function askHubSpot(form: HTMLFormElement, invalidSelector: string): Promise<boolean> {
  const view = form.ownerDocument.defaultView ?? window;
  for (const element of form.elements) {
    const field = element as Field;
    if (!isFillable(field)) continue;
    field.dispatchEvent(new view.FocusEvent('focusout', { bubbles: true }));
  }
  await new Promise((resolve) => setTimeout(resolve, 60));
  return ![...form.querySelectorAll(invalidSelector)].some(isShown);
}
