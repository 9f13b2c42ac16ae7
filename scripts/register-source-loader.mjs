// Lets a package bin run its TypeScript source in a checkout, where nothing is built: tsx compiles
// the source, and a resolve hook adds the `@onepagepay/source` export condition so the workspace
// packages it imports (`@onepagepay/protocol`, …) resolve to their `src/` too, not to a `dist/` that
// does not exist. Published tarballs ship `dist/` and never load this file.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

const addSourceCondition = `
export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions.includes('@onepagepay/source')
    ? context.conditions
    : [...context.conditions, '@onepagepay/source'];
  return nextResolve(specifier, { ...context, conditions });
}`;

/** Registers tsx, then the source condition (hooks registered last run first). */
export function registerSourceLoader() {
  registerTsx();
  register(`data:text/javascript,${encodeURIComponent(addSourceCondition)}`);
}
