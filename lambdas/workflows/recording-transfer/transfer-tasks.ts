import { z } from 'zod';
import { withNameOnlyErrors } from '#domain/workflow-error';
import type { RecordingTransfer } from '#domain/calls/recording-transfer';
import { parseStagedRecording, type StagedRecording } from '#domain/calls/staged-recording';
import { getTransferRuntime } from './transfer-runtime.ts';

/** What every task receives: the execution input `{ bucket, key }` plus earlier results. */
const taskInputSchema = z.object({
  bucket: z.string().min(3),
  key: z.string().min(1),
  copy: z.object({ size: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
});

type TaskInput = z.infer<typeof taskInputSchema>;

/**
 * One workflow task: parse the input, run a step of `RecordingTransfer`, log ids and the outcome only.
 * Errors propagate with their names (which Retry and Catch match), never their messages.
 */
function transferTask<R>(
  step: (transfer: RecordingTransfer, recording: StagedRecording, input: TaskInput) => Promise<R>,
) {
  return withNameOnlyErrors(async (event: unknown): Promise<R> => {
    const { transfer, logger } = getTransferRuntime();
    const input = taskInputSchema.parse(event);
    const recording = parseStagedRecording(input.key);
    const result = await step(transfer, recording, input);
    logger.info('recording transfer step done', {
      step: step.name,
      callId: recording.callId,
      accountId: recording.accountId,
    });
    return result;
  });
}

export const copyToHome = transferTask(async function copyToHome(transfer, recording) {
  await transfer.copy(recording);
  return { copied: true };
});

export const verifyHomeCopy = transferTask(async function verifyHomeCopy(transfer, recording) {
  return transfer.verify(recording);
});

export const recordLocation = transferTask(async function recordLocation(transfer, recording, input) {
  if (!input.copy) throw new Error('recordLocation needs the verified copy ($.copy) as input');
  await transfer.recordLocation(recording, input.copy);
  return { recorded: true };
});

export const deleteStaged = transferTask(async function deleteStaged(transfer, recording) {
  return transfer.deleteStaged(recording);
});

export const recordStagingDeleted = transferTask(async function recordStagingDeleted(transfer, recording) {
  await transfer.recordStagingDeleted(recording);
  return { audited: true };
});
