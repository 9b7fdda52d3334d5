import { Logger } from '@aws-lambda-powertools/logger';
import { createAwsClients } from '#adapters/aws-clients';
import { DynamoMigrationLedger } from '#adapters/dynamo-migration-ledger';
import { DynamoRecordStore } from '#adapters/dynamo-record-store';
import { S3MigrationFiles } from '#adapters/s3-migration-files';
import { MigrationRun } from '#domain/migrations/migration-run';
import { parseEnvironment } from '#lib/platform/function-environment';
import { type MigrationEnvironment, migrationEnvironmentSchema } from '#lib/platform/migration-environment';

export interface MigrationRuntime {
  readonly env: MigrationEnvironment;
  readonly logger: Logger;
  readonly run: MigrationRun;
}

let runtime: MigrationRuntime | undefined;

/** Made once per container: the region's records table and migrations bucket. */
export function getMigrationRuntime(): MigrationRuntime {
  if (!runtime) {
    const env = parseEnvironment(migrationEnvironmentSchema);
    const clients = createAwsClients();
    runtime = {
      env,
      logger: new Logger({ serviceName: 'helpdesk-migration', persistentKeys: { region: env.HOME_REGION } }),
      run: new MigrationRun({
        store: new DynamoRecordStore(clients.dynamo, env.TABLE_NAME),
        files: new S3MigrationFiles(clients.s3, env.MIGRATIONS_BUCKET),
        ledger: new DynamoMigrationLedger(clients.dynamo, env.TABLE_NAME),
        now: () => new Date(),
      }),
    };
  }
  return runtime;
}
