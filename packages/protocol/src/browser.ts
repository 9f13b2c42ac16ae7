// What browser code shares with the relay without the schema and validator libraries: plain
// functions only, so a bundle that imports this entry stays small (the CDN snippet's budget).
export { HUBSPOT_EMAIL_PATTERN, isHubSpotEmail } from './hubspot-email.js';
export { currencyExponent, formatMoney, toMajorUnitString } from './money.js';
