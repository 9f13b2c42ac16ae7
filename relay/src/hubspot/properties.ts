import type { HubSpotSession } from './hubspot-session.js';
import { isHubSpotFailure } from './hubspot-failure.js';

interface PropertySpec {
  objectType: 'contacts' | 'deals' | 'line_items';
  name: string;
  label: string;
  type: 'string' | 'number';
  fieldType: 'text' | 'number';
  groupName: string;
  hasUniqueValue?: boolean;
  description: string;
}

/** The custom properties OnePagePay writes; `onepagepay_transaction_id` makes re-pushes idempotent. */
export const CUSTOM_PROPERTIES: readonly PropertySpec[] = [
  {
    objectType: 'deals',
    name: 'onepagepay_transaction_id',
    label: 'OnePagePay transaction ID',
    type: 'string',
    fieldType: 'text',
    groupName: 'dealinformation',
    hasUniqueValue: true,
    description: 'The OnePagePay transaction this deal records. Unique: a payment never makes two deals.',
  },
  {
    objectType: 'deals',
    name: 'onepagepay_payment_status',
    label: 'OnePagePay payment status',
    type: 'string',
    fieldType: 'text',
    groupName: 'dealinformation',
    description: 'succeeded, refunded, partially_refunded or disputed.',
  },
  {
    objectType: 'deals',
    name: 'onepagepay_amount_refunded',
    label: 'OnePagePay amount refunded',
    type: 'number',
    fieldType: 'number',
    groupName: 'dealinformation',
    description: 'Refunded so far, in the deal currency.',
  },
  {
    objectType: 'deals',
    name: 'onepagepay_provider_payment_id',
    label: 'OnePagePay provider payment ID',
    type: 'string',
    fieldType: 'text',
    groupName: 'dealinformation',
    description: 'The Stripe PaymentIntent (pi_...) or PayPal order id.',
  },
  {
    objectType: 'line_items',
    name: 'onepagepay_transaction_id',
    label: 'OnePagePay transaction ID',
    type: 'string',
    fieldType: 'text',
    groupName: 'lineiteminformation',
    hasUniqueValue: true,
    description: 'The OnePagePay transaction this line item belongs to (one line item per transaction).',
  },
  {
    objectType: 'contacts',
    name: 'onepagepay_transaction_id',
    label: 'OnePagePay last transaction ID',
    type: 'string',
    fieldType: 'text',
    groupName: 'contactinformation',
    description: 'The latest OnePagePay transaction of this contact (sent with the form submission).',
  },
  {
    objectType: 'contacts',
    name: 'onepagepay_payment_status',
    label: 'OnePagePay last payment status',
    type: 'string',
    fieldType: 'text',
    groupName: 'contactinformation',
    description: 'The status of the latest OnePagePay payment (sent with the form submission).',
  },
];

/** Creates the custom properties a portal lacks; a 409 means it already has one, which is fine. */
export async function ensureCustomProperties(session: HubSpotSession): Promise<void> {
  for (const { objectType, ...property } of CUSTOM_PROPERTIES) {
    try {
      await session.call((client) =>
        client.crm.properties.coreApi.create(objectType, {
          ...property,
          hasUniqueValue: property.hasUniqueValue ?? false,
          formField: objectType === 'contacts',
        } as Parameters<typeof client.crm.properties.coreApi.create>[1]),
      );
    } catch (error) {
      if (isHubSpotFailure(error) && error.details.status === 409) continue;
      throw error;
    }
  }
}
