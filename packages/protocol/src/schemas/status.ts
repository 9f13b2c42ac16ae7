import { Type, type Static } from '@sinclair/typebox';

export const UpstreamHealth = Type.Object({
  /** `degraded`: it answered, but slower than the relay's threshold (STATUS_DEGRADED_MS). */
  status: Type.Union([Type.Literal('up'), Type.Literal('degraded'), Type.Literal('down')]),
  latencyMs: Type.Union([Type.Integer(), Type.Null()]),
  checkedAt: Type.String({ format: 'date-time' }),
});
export type UpstreamHealth = Static<typeof UpstreamHealth>;

/**
 * Public upstream health: the SDK shows an outage to the payer before they type anything.
 * `providers` names the payment providers and, when the relay probes it, `hubspot` (whose outage
 * would reject the form after the payer paid).
 */
export const StatusResponse = Type.Object(
  {
    status: Type.Union([Type.Literal('up'), Type.Literal('degraded')]),
    providers: Type.Record(Type.String(), UpstreamHealth),
  },
  { $id: 'StatusResponse' },
);
export type StatusResponse = Static<typeof StatusResponse>;
