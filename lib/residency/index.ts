export * from './products.ts';
export * from './regions.ts';
export * from './retention.ts';
