import { defineScenarios } from './scenarios.js';

describe('SDK on a HubSpot v2-inline form', () => {
  defineScenarios('v2-inline');
});
