import { APP_NAME, APP_VERSION } from '../version.ts';
import { builder } from './builder.ts';

const ServerInfo = builder.objectRef<{ startedAt: Date }>('ServerInfo').implement({
  description: 'What this server is and since when it runs.',
  fields: (t) => ({
    name: t.string({ description: 'notes-stream.', resolve: () => APP_NAME }),
    version: t.string({ description: 'The version of the server (package.json).', resolve: () => APP_VERSION }),
    nodeVersion: t.string({ description: 'The Node.js version it runs on.', resolve: () => process.version }),
    startedAt: t.field({ type: 'DateTime', description: 'When this server started.', resolve: (info) => info.startedAt }),
  }),
});

builder.queryField('serverInfo', (t) =>
  t.field({ type: ServerInfo, description: 'What answers: name, version, start time.', resolve: (_root, _args, ctx) => ({ startedAt: ctx.startedAt }) }),
);
