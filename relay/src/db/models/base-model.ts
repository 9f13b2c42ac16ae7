import { Model, snakeCaseMappers } from 'objection';

/** camelCase in TypeScript, snake_case in SQL. */
export class BaseModel extends Model {
  static override get columnNameMappers() {
    return snakeCaseMappers();
  }
}
