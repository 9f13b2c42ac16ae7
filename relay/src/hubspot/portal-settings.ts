import { DateTime } from 'luxon';
import type { HubSpotSession } from './hubspot-session.js';

/** What the relay keeps of a portal's settings, read on connect (hubspot_connections.portal_settings). */
export interface PortalSettings {
  /** IANA time zone of the account: the DAILY API limit resets at midnight there. */
  timeZone: string;
  /** The company currency first, then the additional currencies; deals in any other are refused. */
  currencies: string[];
  pipelines: Array<{ id: string; label: string; stages: Array<{ id: string; label: string }> }>;
}

/**
 * Reads the account details (time zone, currencies: GET /account-info/v3/details) and the deal
 * pipelines with their stages (GET /crm/v3/pipelines/deals) through the portal's session.
 */
export async function readPortalSettings(session: HubSpotSession): Promise<PortalSettings> {
  const details = (await session.request({ method: 'GET', path: '/account-info/v3/details' })) as {
    timeZone?: string;
    companyCurrency?: string;
    additionalCurrencies?: string[];
  };
  const pipelines = await session.call((client) => client.crm.pipelines.pipelinesApi.getAll('deals'));
  return {
    timeZone: isTimeZone(details.timeZone) ? details.timeZone : 'UTC',
    currencies: [details.companyCurrency ?? 'USD', ...(details.additionalCurrencies ?? [])].map((code) =>
      code.toUpperCase(),
    ),
    pipelines: pipelines.results.map((pipeline) => ({
      id: pipeline.id,
      label: pipeline.label,
      stages: pipeline.stages.map((stage) => ({ id: stage.id, label: stage.label })),
    })),
  };
}

function isTimeZone(value: string | undefined): value is string {
  if (!value) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Why HubSpot would refuse a deal in this currency, or undefined when the portal enabled it. */
export function currencyProblem(
  settings: PortalSettings,
  portalId: number,
  currency: string,
): string | undefined {
  if (settings.currencies.includes(currency.toUpperCase())) return undefined;
  return (
    `HubSpot portal ${portalId} has not enabled the currency ${currency} (enabled: ${settings.currencies.join(', ')}): ` +
    'add it in HubSpot under Settings › Account defaults › Currencies, then run `hubspot replay`.'
  );
}

/**
 * The internal ids HubSpot wants for a form's pipeline and deal stage, which the merchant may have
 * configured by id or by label ("Sales Pipeline", "Closed Won").
 */
export function resolveDealPlacement(
  settings: PortalSettings,
  portalId: number,
  pipeline: string,
  stage: string,
): { pipeline: string; dealStage: string } | { problem: string } {
  const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
  const found =
    settings.pipelines.find((candidate) => candidate.id === pipeline) ??
    settings.pipelines.find((candidate) => same(candidate.label, pipeline));
  if (!found) {
    const known = settings.pipelines.map((candidate) => `${candidate.label} (${candidate.id})`).join(', ');
    return { problem: `HubSpot portal ${portalId} has no deal pipeline "${pipeline}" (it has: ${known})` };
  }
  const dealStage =
    found.stages.find((candidate) => candidate.id === stage) ??
    found.stages.find((candidate) => same(candidate.label, stage));
  if (!dealStage) {
    const known = found.stages.map((candidate) => `${candidate.label} (${candidate.id})`).join(', ');
    return { problem: `HubSpot pipeline "${found.label}" has no deal stage "${stage}" (it has: ${known})` };
  }
  return { pipeline: found.id, dealStage: dealStage.id };
}

/**
 * The next midnight in the portal's time zone: HubSpot resets the DAILY limit then and sends no
 * Retry-After with that 429. (luxon keeps the zone rules, DST days included.)
 */
export function nextPortalMidnight(now: number, timeZone: string): number {
  const inPortal = DateTime.fromMillis(now, { zone: timeZone });
  // A zone name this platform does not know: UTC midnight, as before the portal's zone was read.
  const day = inPortal.isValid ? inPortal : DateTime.fromMillis(now, { zone: 'utc' });
  return day.startOf('day').plus({ days: 1 }).toMillis();
}
