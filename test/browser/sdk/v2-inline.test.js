import { defineEdges } from './edges.js';
import { defineScenarios } from './scenarios.js';

describe('SDK on a HubSpot v2-inline form', () => {
  defineScenarios('v2-inline');
});

describe('SDK on a HubSpot v2-inline form: what HubSpot refuses, amounts and receipts', () => {
  defineEdges('v2-inline');
});
