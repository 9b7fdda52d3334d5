import { createHash } from 'node:crypto';
import { z } from 'zod';

/** A recording waiting in the staging bucket: which account's call it belongs to, by ids only. */
export interface StagedRecording {
  readonly accountId: string;
  readonly callId: number;
  /** The object key, the same in staging and at home. */
  readonly key: string;
}

/** Recording keys are `accounts/<account id>/calls/<call id>/recording` (see `recordingKey`). */
const recordingKeyPattern = /^accounts\/([0-9a-f-]{36})\/calls\/([1-9][0-9]{0,15})\/recording$/;

export const stagedRecordingInputSchema = z.object({ bucket: z.string().min(3), key: z.string() });

export class NotARecordingKeyError extends Error {
  constructor() {
    super('The object key is not a call recording key (accounts/<account>/calls/<call>/recording).');
    this.name = 'NotARecordingKey';
  }
}

export function parseStagedRecording(key: string): StagedRecording {
  const match = recordingKeyPattern.exec(key);
  if (!match?.[1] || !match[2]) throw new NotARecordingKeyError();
  return { accountId: match[1], callId: Number(match[2]), key };
}

/** Hex characters of the upload's digest in an execution name: 64 bits, so two uploads never share one. */
const uploadDigestLength = 16;

/**
 * The transfer execution's name: one per upload of a recording (`upload` is the object version id S3
 * gives the upload, or the event's sequencer where the bucket has no versions), so a repeated event for
 * the same upload is a no-op while a second upload to the same key starts its own execution. Operators
 * find a call's executions by the prefix `recording-<call>-<account>-`. Ids only, at most 80 characters
 * (Step Functions' limit): the upload is named by a digest, as version ids may be 32 characters long.
 */
export function transferExecutionName(recording: StagedRecording, upload: string): string {
  const digest = createHash('sha256').update(upload).digest('hex').slice(0, uploadDigestLength);
  return `${transferExecutionPrefix(recording)}${digest}`;
}

/** What every transfer execution of the recording's call is named with first. */
export const transferExecutionPrefix = (recording: Pick<StagedRecording, 'accountId' | 'callId'>) =>
  `recording-${recording.callId}-${recording.accountId}-`;
