export { startHubSpotSandbox, type HubSpotSandboxOptions } from './hubspot-sandbox.js';
export type {
  CreateFormOptions,
  HubSpotSandbox,
  SandboxAssociation,
  SimplePublicObjectLike,
} from './sandbox-controls.js';
export type { OutageMode, SandboxStats } from './request-handler.js';
export type { RateLimitConfig } from './rate-limit.js';
export type { FormSubmission, PropertyDefinition } from './state.js';
