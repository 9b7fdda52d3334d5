import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * One instance per DynamoDB client (one per container) and records table, made on first use by
 * `make`: the instance whose key cache every store of the container shares (lookup keys, subject keys).
 */
export function perClientAndTable<T>(
  make: (dynamo: DynamoDBDocumentClient, tableName: string) => T,
): (dynamo: DynamoDBDocumentClient, tableName: string) => T {
  const shared = new WeakMap<DynamoDBDocumentClient, Map<string, T>>();
  return (dynamo, tableName) => {
    const ofClient = shared.get(dynamo) ?? new Map<string, T>();
    shared.set(dynamo, ofClient);
    let instance = ofClient.get(tableName);
    if (instance === undefined) {
      instance = make(dynamo, tableName);
      ofClient.set(tableName, instance);
    }
    return instance;
  };
}
