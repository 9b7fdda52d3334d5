import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import {
  NotARecordingKeyError,
  parseStagedRecording,
  transferExecutionName,
} from '#domain/calls/staged-recording';
import { getTransferRuntime } from './transfer-runtime.ts';

/**
 * The part of EventBridge's S3 "Object Created" event the starter reads: the key, and what tells one
 * upload from another (`version-id` in a versioned bucket such as staging; `sequencer` always).
 */
const objectCreatedSchema = z.object({
  'detail-type': z.literal('Object Created'),
  detail: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({
      key: z.string(),
      'version-id': z.string().min(1).optional(),
      sequencer: z.string().min(1),
    }),
  }),
});

/**
 * Starts the transfer of a recording that arrived in the staging bucket, as an execution named after
 * the recording and its upload: a repeated event (EventBridge delivers at least once) finds the
 * execution already there and changes nothing, while a second upload to the same key (a re-upload)
 * starts an execution of its own, so no upload is left in staging.
 */
export const handler = async (event: unknown): Promise<{ started: boolean }> => {
  const { env, clients, logger } = getTransferRuntime();
  const { detail } = objectCreatedSchema.parse(event);
  const key = decodeURIComponent(detail.object.key.replace(/\+/g, ' '));
  let recording;
  try {
    recording = parseStagedRecording(key);
  } catch (error) {
    // Not a recording: left for the staging watch (its age alarm), never moved blindly. No key logged.
    if (error instanceof NotARecordingKeyError) {
      logger.warn('object in the staging bucket is not a recording; not transferred');
      return { started: false };
    }
    throw error;
  }
  if (!env.TRANSFER_STATE_MACHINE_ARN) throw new Error('TRANSFER_STATE_MACHINE_ARN is not set');
  try {
    await clients.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: env.TRANSFER_STATE_MACHINE_ARN,
        name: transferExecutionName(recording, detail.object['version-id'] ?? detail.object.sequencer),
        input: JSON.stringify({ bucket: detail.bucket.name, key }),
      }),
    );
  } catch (error) {
    if (
      error instanceof ExecutionAlreadyExists ||
      (error as { name?: string }).name === 'ExecutionAlreadyExists'
    ) {
      logger.info('transfer already started', { callId: recording.callId, accountId: recording.accountId });
      return { started: false };
    }
    throw error;
  }
  logger.info('transfer started', { callId: recording.callId, accountId: recording.accountId });
  return { started: true };
};
