import { defineEdges } from './edges.js';
import { defineScenarios } from './scenarios.js';

describe('SDK on a HubSpot v4-html form', () => {
  defineScenarios('v4-html');
});

describe('SDK on a HubSpot v4-html form: what HubSpot refuses, amounts and receipts', () => {
  defineEdges('v4-html');
});
