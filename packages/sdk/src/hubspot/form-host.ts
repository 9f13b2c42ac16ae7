/** The payer's details the relay needs, read from the HubSpot form. */
export interface Contact {
  email: string;
  firstName: string;
  lastName: string;
}

/** Listens on `window` until the returned function is called (one copy of the pair in the CDN bundle). */
export function listen<E extends Event>(type: string, listener: (event: E) => void): () => void {
  const handler = listener as EventListener;
  addEventListener(type, handler);
  return () => removeEventListener(type, handler);
}

/** Hidden HubSpot properties the SDK writes so the submission carries the payment. */
export const TRANSACTION_FIELD = 'onepagepay_transaction_id';
export const STATUS_FIELD = 'onepagepay_payment_status';

/**
 * One rendered HubSpot form, whatever its embed. The payment step only talks to this: v2 and v4
 * adapters hide how values are read and written and how the submission is reported.
 */
export interface FormHost {
  readonly formId: string;
  /** The page element that identifies this form instance (dispatch target, duplicate guard). */
  readonly anchor: Element;
  /** The `<form>` when the SDK can reach it; null for the v4 frame embed (pay beside the frame). */
  readonly form: HTMLFormElement | null;
  /** Inserts the payment step: above the submit button, or beside the frame. */
  place(step: HTMLElement): void;
  readContact(): Promise<Contact>;
  /** Writes the hidden properties so HubSpot counts them (input/change events, or setFieldValue). */
  writePayment(transactionId: string, status: string): Promise<void>;
  /** Names of the hidden properties the form's definition lacks (so HubSpot would drop them). */
  missingFields(): Promise<string[]>;
  /**
   * Asks HubSpot's own validation of the fields the payer sees; HubSpot shows its errors. False
   * while any shows. The frame embed cannot be asked: true.
   */
  validateFields(): Promise<boolean>;
  /** False while a multi-step form shows a step before its last (its submit is HubSpot's Next). */
  onLastStep(): boolean;
  /** Calls back when HubSpot reports this form submitted; returns an unsubscribe function. */
  onSubmitted(callback: () => void): () => void;
}

/** Reads the fields HubSpot names `email`, `firstname`, `lastname` (v4: `0-1/email`, ...). */
export function contactFrom(values: Record<string, string>): Contact {
  const pick = (name: string) => (values[name] ?? values[`0-1/${name}`] ?? '').trim();
  return { email: pick('email'), firstName: pick('firstname'), lastName: pick('lastname') };
}

export function readHutk(doc: Document = document): string | undefined {
  const match = /(?:^|;\s*)hubspotutk=([A-Za-z0-9]{1,64})/.exec(doc.cookie);
  return match?.[1];
}
