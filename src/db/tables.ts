export * from './tables/base.ts';
export * from './tables/warehouse.ts';
export * from './tables/datamarts.ts';
export * from './tables/streaming.ts';
export * from './tables/webhooks.ts';
