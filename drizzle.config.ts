import { defineConfig } from 'drizzle-kit';

// Only `drizzle-kit generate` uses this file: migrations are written from src/db/tables.ts
// and applied by src/db/migrate.ts, so no database URL is needed here.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/tables/*.ts',
  out: './drizzle',
  schemaFilter: ['public', 'dwh', 'streaming', 'webhooks'],
});
