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

/**
 * The transfer execution's name: one per recording, so a second start for the same recording is a
 * no-op and operators find it by the call id. Ids only (Step Functions names allow 80 characters).
 */
export function transferExecutionName(recording: StagedRecording): string {
  return `recording-${recording.callId}-${recording.accountId}`;
}
