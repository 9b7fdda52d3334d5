import { CrossStackReferences, ReferenceStrength, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { RecordingTransferWorkflow } from '#lib/constructs/recording-transfer-workflow';
import { eeaRegionKey, type HostingRegionKey } from '#lib/residency/index';
import type { DataStack } from './data-stack.ts';

export interface WorkflowStackProps extends StackProps {
  readonly region: HostingRegionKey;
  /** The same hosting region's data stack. */
  readonly data: DataStack;
}

/**
 * The Step Functions workflows of a hosting region (stateless, redeploys freely). In the recording
 * staging region (US) it holds the transfer of EEA accounts' recordings to the EEA. It names the EEA's
 * bucket, table and key by their deterministic names, so it deploys without the EEA stacks, but a
 * transfer only succeeds once the EEA data stack exists: deploy `Helpdesk-eea-Data` first.
 */
export class WorkflowStack extends Stack {
  readonly recordingTransfer?: RecordingTransferWorkflow;

  constructor(scope: Construct, id: string, props: WorkflowStackProps) {
    super(scope, id, props);
    const { region, data } = props;
    Tags.of(this).add('hosting-region', region);
    Tags.of(this).add('stack-kind', 'workflows');
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    this.addStackDependency(data);

    const staging = data.buckets.get('recording-staging');
    if (staging) {
      this.recordingTransfer = new RecordingTransferWorkflow(this, 'RecordingTransfer', {
        stagingRegion: region,
        homeRegion: eeaRegionKey,
        stagingBucketName: staging.bucketName,
        stagingDataKey: data.keys.data,
        logsKey: data.keys.logs,
      });
    }
  }
}
