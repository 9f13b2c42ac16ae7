import { defineEdges } from './edges.js';
import { defineScenarios } from './scenarios.js';

describe('SDK on a HubSpot v2-iframe form', () => {
  defineScenarios('v2-iframe');
});

describe('SDK on a HubSpot v2-iframe form: what HubSpot refuses, amounts and receipts', () => {
  defineEdges('v2-iframe');
});
