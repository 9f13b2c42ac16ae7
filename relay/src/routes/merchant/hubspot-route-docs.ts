import { MerchantHubSpotStatus, type RouteDoc } from '@onepagepay/protocol';

/** GET /v1/hubspot in /v1/openapi.json. */
export const HUBSPOT_STATUS_DOC: RouteDoc = {
  method: 'get',
  path: '/v1/hubspot',
  operationId: 'getHubSpotStatus',
  summary:
    "The HubSpot connection of the key's or session's mode, its sync counts, the portal's time zone and currencies, and each form's missing hidden fields (scope transactions:read)",
  tags: ['merchant data'],
  auth: 'api_key_or_session',
  responses: {
    200: { description: 'HubSpot status', schema: MerchantHubSpotStatus },
    401: { description: 'An error with a stable code' },
    403: { description: 'An error with a stable code' },
  },
};
