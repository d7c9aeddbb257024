import { APP_NAME, APP_VERSION } from '../version.ts';
import { builder } from './builder.ts';

const ServerInfo = builder.objectRef<{ startedAt: Date }>('ServerInfo').implement({
  description: 'What this server is and since when it runs.',
  fields: (t) => ({
    name: t.string({ resolve: () => APP_NAME }),
    version: t.string({ resolve: () => APP_VERSION }),
    nodeVersion: t.string({ resolve: () => process.version }),
    startedAt: t.field({ type: 'DateTime', resolve: (info) => info.startedAt }),
  }),
});

builder.queryField('serverInfo', (t) =>
  t.field({ type: ServerInfo, resolve: (_root, _args, ctx) => ({ startedAt: ctx.startedAt }) }),
);
