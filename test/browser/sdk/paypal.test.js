import { definePayPalScenarios } from './paypal.js';

describe('SDK with PayPal on a HubSpot v2-inline form', () => {
  definePayPalScenarios('v2-inline');
});

describe('SDK with PayPal on a HubSpot v2-iframe form', () => {
  definePayPalScenarios('v2-iframe');
});

describe('SDK with PayPal on a HubSpot v4 developer embed', () => {
  definePayPalScenarios('v4-html');
});
