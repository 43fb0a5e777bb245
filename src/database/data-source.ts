import { DataSource } from 'typeorm';
import { resolveDatabaseUrl } from './database-url';
import { typeOrmOptions } from './typeorm-options';

/** The DataSource for the TypeORM CLI (`npm run migration:generate`, `migration:run`, `migration:revert`). */
export default new DataSource({ ...typeOrmOptions(resolveDatabaseUrl()), migrationsRun: false });
