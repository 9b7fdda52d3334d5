import { Logger } from '@aws-lambda-powertools/logger';
import { createAwsClients } from '#adapters/aws-clients';
import { parseEnvironment } from '#lib/platform/function-environment';
import { DynamoRecordStore } from '#adapters/dynamo-record-store';
import { S3RecordingMover } from '#adapters/s3-recording-mover';
import { RecordingTransfer } from '#domain/calls/recording-transfer';
import {
  type RecordingTransferEnvironment,
  recordingTransferEnvironmentSchema,
} from '#lib/platform/recording-transfer-environment';

export interface TransferRuntime {
  readonly env: RecordingTransferEnvironment;
  readonly logger: Logger;
  readonly transfer: RecordingTransfer;
  readonly clients: ReturnType<typeof createAwsClients>;
}

let runtime: TransferRuntime | undefined;

/** Made once per container: the staging side in this region, the home side in the home region. */
export function getTransferRuntime(): TransferRuntime {
  if (!runtime) {
    const env = parseEnvironment(recordingTransferEnvironmentSchema);
    const clients = createAwsClients();
    const mover = new S3RecordingMover(
      { client: clients.s3, bucket: env.STAGING_BUCKET },
      {
        client: clients.s3In(env.HOME_AWS_REGION),
        bucket: env.HOME_RECORDINGS_BUCKET,
        kmsKeyId: env.HOME_DATA_KEY,
      },
    );
    runtime = {
      env,
      clients,
      logger: new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME }),
      transfer: new RecordingTransfer({
        mover,
        store: new DynamoRecordStore(clients.dynamoIn(env.HOME_AWS_REGION), env.HOME_TABLE_NAME),
        now: () => new Date(),
      }),
    };
  }
  return runtime;
}
