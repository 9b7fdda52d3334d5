import { z } from 'zod';
import { withNameOnlyErrors } from '#domain/workflow-error';
import { discardReasonOf, type RecordingTransfer } from '#domain/calls/recording-transfer';
import { parseStagedRecording, type StagedRecording } from '#domain/calls/staged-recording';
import { getTransferRuntime } from './transfer-runtime.ts';

/**
 * What every task receives: the execution input `{ bucket, key }` plus earlier results (`beforeCopy`
 * once the call was checked before the copy, `copied` once the copy ran, `copy` once verified, and
 * `error`, the caught error's name, on the discard path).
 */
const taskInputSchema = z.object({
  bucket: z.string().min(3),
  key: z.string().min(1),
  beforeCopy: z.object({ checked: z.literal(true) }).optional(),
  copied: z.object({ versionId: z.string().min(1).max(1024).optional() }).optional(),
  copy: z.object({ size: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
  error: z.object({ Error: z.string().optional() }).optional(),
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

/**
 * The call must be live: before the copy (no `copied` yet) and again after it. Before the copy it also
 * refuses a re-upload to a call whose recording already moved home.
 */
export const checkCall = transferTask(async function checkCall(transfer, recording, input) {
  await transfer.checkCall(recording, input.copied ? 'after_copy' : 'before_copy');
  return { checked: true as const };
});

export const copyToHome = transferTask(async function copyToHome(transfer, recording) {
  return transfer.copy(recording);
});

export const verifyHomeCopy = transferTask(async function verifyHomeCopy(transfer, recording, input) {
  return transfer.verify(recording, input.copied);
});

export const recordLocation = transferTask(async function recordLocation(transfer, recording, input) {
  if (!input.copy) throw new Error('recordLocation needs the verified copy ($.copy) as input');
  await transfer.recordLocation(recording, input.copy);
  return { recorded: true };
});

export const deleteStaged = transferTask(async function deleteStaged(transfer, recording) {
  return transfer.deleteStaged(recording);
});

/** The last step of a transfer; its result is the execution's output. */
export const recordStagingDeleted = transferTask(async function recordStagingDeleted(transfer, recording) {
  const { audited } = await transfer.recordStagingDeleted(recording);
  return { outcome: 'transferred' as const, callId: recording.callId, audited };
});

/**
 * The discard path (the call is gone, or a re-upload was refused): deletes the staged original and,
 * once the copy may have started (the call was checked before it), what it copied home. Its result is
 * the execution's output: `{ outcome: 'discarded', reason, … }`.
 */
export const discardRecording = transferTask(async function discardRecording(transfer, recording, input) {
  return transfer.discard(recording, discardReasonOf(input.error?.Error), input.beforeCopy !== undefined);
});
