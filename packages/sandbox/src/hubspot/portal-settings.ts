import { DateTime } from 'luxon';
import type { ObjectTypeName, Portal, PropertyDefinition } from './state.js';

export interface PipelineStage {
  id: string;
  label: string;
  displayOrder: number;
  metadata: Record<string, string>;
}

export interface Pipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: PipelineStage[];
}

/** What an account admin sets in HubSpot's settings and the APIs read back. */
export interface PortalSettings {
  /** IANA name; the DAILY API limit resets at midnight here. */
  timeZone: string;
  /** The company currency first, then the additional currencies enabled in multicurrency settings. */
  currencies: string[];
  /** Deal pipelines with their stages; values of `pipeline` and `dealstage` are these internal ids. */
  pipelines: Pipeline[];
}

const STAGES: Array<[id: string, label: string, probability: string, closed: boolean]> = [
  ['appointmentscheduled', 'Appointment Scheduled', '0.2', false],
  ['qualifiedtobuy', 'Qualified To Buy', '0.4', false],
  ['presentationscheduled', 'Presentation Scheduled', '0.6', false],
  ['decisionmakerboughtin', 'Decision Maker Bought-In', '0.8', false],
  ['contractsent', 'Contract Sent', '0.9', false],
  ['closedwon', 'Closed Won', '1.0', true],
  ['closedlost', 'Closed Lost', '0.0', true],
];

/** A new HubSpot account: one "Sales Pipeline" (id `default`), USD, US/Eastern. */
export function createDefaultSettings(): PortalSettings {
  return {
    timeZone: 'US/Eastern',
    currencies: ['USD'],
    pipelines: [
      {
        id: 'default',
        label: 'Sales Pipeline',
        displayOrder: 0,
        stages: STAGES.map(([id, label, probability, closed], index) => ({
          id,
          label,
          displayOrder: index,
          metadata: { isClosed: String(closed), probability },
        })),
      },
    ],
  };
}

const CURRENCY_PROPERTIES = new Set(['deal_currency_code', 'hs_line_item_currency_code']);

type Option = PropertyDefinition['options'][number];

const currencyNames = new Intl.DisplayNames(['en'], { type: 'currency' });

function currencyLabel(code: string): string {
  try {
    return currencyNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * The options of an enumeration whose choices come from the account's settings rather than the
 * property definition: currencies from multicurrency settings, pipelines and stages from the
 * pipelines settings. Undefined for every other property.
 */
export function settingsOptions(
  portal: Portal,
  type: ObjectTypeName,
  name: string,
  record?: Record<string, string | null>,
): Option[] | undefined {
  const settings = portal.settings;
  if (CURRENCY_PROPERTIES.has(name) && (type === 'deals' || type === 'line_items')) {
    return settings.currencies.map((code, index) => ({
      label: currencyLabel(code),
      value: code,
      displayOrder: index,
      hidden: false,
    }));
  }
  if (type !== 'deals') return undefined;
  if (name === 'pipeline') {
    return settings.pipelines.map((pipeline) => ({
      label: pipeline.label,
      value: pipeline.id,
      displayOrder: pipeline.displayOrder,
      hidden: false,
    }));
  }
  if (name === 'dealstage') {
    // A stage must belong to the deal's pipeline (the default pipeline when none is given).
    const pipelineId = record?.['pipeline'] ?? settings.pipelines[0]?.id;
    const pipelines = settings.pipelines.filter(
      (pipeline) => record === undefined || pipeline.id === pipelineId,
    );
    return pipelines.flatMap((pipeline) =>
      pipeline.stages.map((stage) => ({
        label: stage.label,
        value: stage.id,
        displayOrder: stage.displayOrder,
        hidden: false,
      })),
    );
  }
  return undefined;
}

// Zone rules (DST days included) come from luxon, on the platform's time-zone data.
const zoned = (ms: number, timeZone: string) => DateTime.fromMillis(ms, { zone: timeZone });

/** How far the wall clock in `timeZone` is ahead of UTC at `ms`. */
export function offsetAt(ms: number, timeZone: string): number {
  return zoned(ms, timeZone).offset * 60_000;
}

/** Midnight (as epoch ms) that starts the day holding `ms` in `timeZone`. */
export function startOfZonedDay(ms: number, timeZone: string): number {
  return zoned(ms, timeZone).startOf('day').toMillis();
}

/** The next midnight in `timeZone` after `ms`. */
export function nextZonedMidnight(ms: number, timeZone: string): number {
  return zoned(ms, timeZone).startOf('day').plus({ days: 1 }).toMillis();
}
