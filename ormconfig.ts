import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config';
import { dataSourceOptions } from './src/db/data-source';

/** For the TypeORM CLI: `npm run typeorm -- migration:show`. Same settings as the service. */
const config = loadConfig();
export default new DataSource(dataSourceOptions({ sqlitePath: config.SQLITE_PATH, databaseUrl: config.DATABASE_URL }));
