import { settingsOptions } from './portal-settings.js';
import type { ObjectTypeName, Portal, PropertyDefinition } from './state.js';

function optionsOf(portal: Portal, type: ObjectTypeName, definition: PropertyDefinition, input: unknown) {
  const values = input as Record<string, string | null>;
  return settingsOptions(portal, type, definition.name, values) ?? definition.options;
}

/** An enumeration takes only one of its options' internal values (not a label); no options: anything. */
export function isOption(
  portal: Portal,
  type: ObjectTypeName,
  definition: PropertyDefinition,
  input: unknown,
  value: string,
): boolean {
  const options = optionsOf(portal, type, definition, input);
  return options.length === 0 || options.some((option) => option.value === value);
}

/** HubSpot's INVALID_OPTION message: the value, then the allowed options as protobuf text. */
export function describeOptions(
  portal: Portal,
  type: ObjectTypeName,
  definition: PropertyDefinition,
  input: unknown,
  value: string,
): string {
  const options = optionsOf(portal, type, definition, input).map(
    (option) =>
      `label: "${option.label}"\nvalue: "${option.value}"\ndisplay_order: ${option.displayOrder ?? 0}\nhidden: ${option.hidden}\n`,
  );
  return `${value} was not one of the allowed options: [${options.join(', ')}]`;
}
