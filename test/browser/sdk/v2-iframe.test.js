import { defineScenarios } from './scenarios.js';

describe('SDK on a HubSpot v2-iframe form', () => {
  defineScenarios('v2-iframe');
});
