import { NotFoundError } from '#domain/errors';
import type { RecordStore } from '#domain/records/record-store';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { Actor } from '#domain/records/record';
import { type CallFields, deriveCall } from './call-service.ts';
import type { ObjectFingerprint, RecordingMover } from './recording-mover.ts';
import type { StagedRecording } from './staged-recording.ts';

/** The copy at home differs from the staged original: the original stays, the execution fails. */
export class RecordingCopyNotVerifiedError extends Error {
  constructor(callId: number) {
    super(
      `The home copy of call ${callId}'s recording does not match the staged original (size or SHA-256).`,
    );
    this.name = 'RecordingCopyNotVerified';
  }
}

export class StagedRecordingMissingError extends Error {
  constructor(callId: number) {
    super(`The staged recording of call ${callId} is not in the staging bucket.`);
    this.name = 'StagedRecordingMissing';
  }
}

export class CallOfRecordingNotFoundError extends Error {
  constructor(callId: number) {
    super(`Call ${callId} does not exist (or is deleted) in the home region; the recording stays staged.`);
    this.name = 'CallOfRecordingNotFound';
  }
}

/** Audit entries of the transfer name this system actor, never a person. */
export const transferActor: Actor = { type: 'system', id: 'recording-transfer' };

export interface RecordingTransferDependencies {
  readonly mover: RecordingMover;
  /** The home region's records (the call record lives there). */
  readonly store: RecordStore;
  readonly now: () => Date;
}

/**
 * The steps of moving a staged recording home, one method per workflow task. Each is idempotent: run
 * again, it leaves the same end state (the copy is overwritten with the same bytes, the call record
 * is only updated if it does not say so already, deleting what is gone deletes nothing).
 */
export class RecordingTransfer {
  private readonly calls: RecordLifecycle<CallFields>;

  constructor(private readonly deps: RecordingTransferDependencies) {
    this.calls = new RecordLifecycle(deps, deriveCall, 'The call changed during the transfer.');
  }

  async copy(recording: StagedRecording): Promise<void> {
    if (!(await this.deps.mover.exists('staging', recording.key))) {
      throw new StagedRecordingMissingError(recording.callId);
    }
    await this.deps.mover.copyToHome(recording.key);
  }

  /** Size and SHA-256 of the home copy, equal to the staged original's, or RecordingCopyNotVerified. */
  async verify(recording: StagedRecording): Promise<ObjectFingerprint> {
    const [original, copy] = await Promise.all([
      this.deps.mover.fingerprint('staging', recording.key),
      this.deps.mover.fingerprint('home', recording.key),
    ]);
    if (!original) throw new StagedRecordingMissingError(recording.callId);
    if (!copy || copy.size !== original.size || copy.sha256 !== original.sha256) {
      throw new RecordingCopyNotVerifiedError(recording.callId);
    }
    return copy;
  }

  /** The call record says where the recording is now, with the verified fingerprint. */
  async recordLocation(recording: StagedRecording, copy: ObjectFingerprint): Promise<void> {
    const call = await this.liveCall(recording);
    const proof = call.fields.recording_transfer;
    if (proof?.sha256 === copy.sha256 && proof.size === copy.size) return;
    await this.updateCall(recording, {
      recording_transfer: { ...copy, copied_at: this.deps.now().toISOString() },
    });
  }

  async deleteStaged(recording: StagedRecording): Promise<{ deletedVersions: number }> {
    return { deletedVersions: await this.deps.mover.deleteStaged(recording.key) };
  }

  /** The last audit entry: no copy is left in the staging region. */
  async recordStagingDeleted(recording: StagedRecording): Promise<void> {
    const call = await this.liveCall(recording);
    const proof = call.fields.recording_transfer;
    if (!proof) throw new CallOfRecordingNotFoundError(recording.callId);
    if (proof.staging_deleted_at) return;
    await this.updateCall(recording, {
      recording_transfer: { ...proof, staging_deleted_at: this.deps.now().toISOString() },
    });
  }

  private async liveCall(recording: StagedRecording) {
    const call = await this.deps.store.get<CallFields>(recording.accountId, {
      type: 'call',
      id: recording.callId,
    });
    if (!call || call.deletedAt) throw new CallOfRecordingNotFoundError(recording.callId);
    return call;
  }

  private async updateCall(recording: StagedRecording, changes: Partial<CallFields>) {
    try {
      await this.calls.updateAs(
        transferActor,
        recording.accountId,
        { type: 'call', id: recording.callId },
        changes,
      );
    } catch (error) {
      if (error instanceof NotFoundError) throw new CallOfRecordingNotFoundError(recording.callId);
      throw error;
    }
  }
}
