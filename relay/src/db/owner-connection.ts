import type { Knex } from 'knex';

/**
 * The relay's queries run as the app role; migrations must run as the schema owner. An app
 * connection remembers its owner connection here, so `migrateToLatest(database.knex)` does the
 * right thing wherever it is called from.
 */
const owners = new WeakMap<Knex, Knex>();

export function registerOwnerConnection(app: Knex, owner: Knex): void {
  owners.set(app, owner);
}

export function ownerConnectionOf(knex: Knex): Knex {
  return owners.get(knex) ?? knex;
}
