import {
  CfnOutput,
  CrossStackReferences,
  ReferenceStrength,
  Stack,
  type StackProps,
  Tags,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { RegionalHttpApi } from '#lib/constructs/regional-http-api';
import { bucketName, keyAlias } from '#lib/platform/names';
import { type HostingRegionKey, hostingRegions, recordingStagingRegionFor } from '#lib/residency/index';
import type { DataStack } from './data-stack.ts';

export interface ApiStackProps extends StackProps {
  readonly region: HostingRegionKey;
  /** The same hosting region's data stack. */
  readonly data: DataStack;
}

/** The stateless API of a hosting region; redeploys freely on top of its data stack. */
export class ApiStack extends Stack {
  readonly api: RegionalHttpApi;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { region, data } = props;
    Tags.of(this).add('hosting-region', region);
    Tags.of(this).add('stack-kind', 'api');
    // Table and bucket names are deterministic, so only the two key ARNs are imported. Strong imports: the
    // keys are retained and never replaced, and the data stack must not drop them while the API uses them.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    this.addStackDependency(data);

    const stagingRegion = recordingStagingRegionFor(region);
    this.api = new RegionalHttpApi(this, 'Api', {
      region,
      // EEA recordings upload into the US staging bucket (named, not imported: another region).
      recordingStaging: stagingRegion && {
        bucketName: bucketName(stagingRegion, 'recording-staging', this.account),
        awsRegion: hostingRegions[stagingRegion].awsRegion,
        dataKeyAlias: keyAlias(stagingRegion, 'data'),
      },
      logsKey: data.keys.logs,
      data: {
        table: data.table,
        attachments: data.bucket('attachments'),
        exports: data.bucket('exports'),
        migrations: data.bucket('migrations'),
        recordings: data.buckets.get('recordings'),
        dataKey: data.keys.data,
      },
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: `Base URL of the ${region} API` });
    new CfnOutput(this, 'OperatorPolicyArn', {
      value: this.api.operatorAccess.managedPolicyArn,
      description: `Attach to the vendor's operator roles: the ${region} operator routes (docs/operators.md)`,
    });
  }
}
