import { defineScenarios } from './scenarios.js';

describe('SDK on a HubSpot v4-html form', () => {
  defineScenarios('v4-html');
});
