import { NotFoundError } from '#domain/errors';
import type { RecordStore } from '#domain/records/record-store';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { Actor, RecordRef } from '#domain/records/record';
import { type CallFields, deriveCall } from './call-service.ts';
import type { CopiedUpload, ObjectFingerprint, RecordingMover } from './recording-mover.ts';
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

/** The staged original vanished while its call is live and holds no transferred recording: an operator looks. */
export class StagedRecordingMissingError extends Error {
  constructor(callId: number) {
    super(`The staged recording of call ${callId} is not in the staging bucket.`);
    this.name = 'StagedRecordingMissing';
  }
}

/** The call is deleted, erased or never existed: the workflow discards the recording (not a failure). */
export class CallOfRecordingGoneError extends Error {
  constructor(callId: number) {
    super(`Call ${callId} is deleted, erased or unknown in the home region; its recording is discarded.`);
    this.name = 'CallOfRecordingGone';
  }
}

/** A re-upload to a call whose recording already moved home: refused, the workflow discards it. */
export class RecordingAlreadyTransferredError extends Error {
  constructor(callId: number) {
    super(`Call ${callId} already holds a transferred recording; the re-upload is discarded.`);
    this.name = 'RecordingAlreadyTransferred';
  }
}

/** Why a transfer discarded a staged recording instead of moving it. */
export type DiscardReason = 'call_gone' | 'already_transferred';

/** The workflow's output once it discarded a recording: ids and counts only. */
export interface DiscardOutcome {
  readonly outcome: 'discarded';
  readonly reason: DiscardReason;
  readonly callId: number;
  readonly stagedVersionsDeleted: number;
  readonly homeVersionsDeleted: number;
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
 *
 * Recording the location on the call is the commit point. Before it, a call found gone (deleted,
 * erased, never there) makes the workflow discard the recording: the staged original and whatever it
 * copied home are deleted. After it, the recording belongs to the call like any transferred one, and
 * the workflow only finishes deleting the staged copy.
 */
export class RecordingTransfer {
  private readonly calls: RecordLifecycle<CallFields>;

  constructor(private readonly deps: RecordingTransferDependencies) {
    this.calls = new RecordLifecycle(deps, deriveCall, 'The call changed during the transfer.');
  }

  /**
   * The call must be live. Before the copy (`beforeCopy`), its recording must also not have moved home
   * already: a second upload to a transferred call is refused. After the copy, an execution racing a
   * sibling goes on and records what it copied, so the call names the bytes at home.
   */
  async checkCall(recording: StagedRecording, stage: 'before_copy' | 'after_copy'): Promise<void> {
    const call = await this.liveCall(recording);
    if (stage === 'before_copy' && call.fields.recording_transfer) {
      throw new RecordingAlreadyTransferredError(recording.callId);
    }
  }

  async copy(recording: StagedRecording): Promise<CopiedUpload> {
    if (!(await this.deps.mover.exists('staging', recording.key))) await this.stagedMissing(recording);
    return this.deps.mover.copyToHome(recording.key);
  }

  /**
   * Size and SHA-256 of the home copy, equal to the staged version it was copied from, or
   * RecordingCopyNotVerified.
   */
  async verify(recording: StagedRecording, copied: CopiedUpload = {}): Promise<ObjectFingerprint> {
    const [original, copy] = await Promise.all([
      this.deps.mover.fingerprint('staging', recording.key, copied.versionId),
      this.deps.mover.fingerprint('home', recording.key),
    ]);
    if (!original) return this.stagedMissing(recording);
    if (!copy || copy.size !== original.size || copy.sha256 !== original.sha256) {
      throw new RecordingCopyNotVerifiedError(recording.callId);
    }
    return copy;
  }

  /** The call record says where the recording is now, with the verified fingerprint (the commit point). */
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

  /**
   * The last audit entry: no copy is left in the staging region. A call deleted or erased since its
   * location was recorded gets none (its deletion is its last entry); the staged copy is gone either way.
   */
  async recordStagingDeleted(recording: StagedRecording): Promise<{ audited: boolean }> {
    const call = await this.deps.store.get<CallFields>(recording.accountId, callRefOf(recording));
    const proof = call?.fields.recording_transfer;
    if (!call || call.deletedAt || !proof) return { audited: false };
    if (proof.staging_deleted_at) return { audited: true };
    try {
      await this.updateCall(recording, {
        recording_transfer: { ...proof, staging_deleted_at: this.deps.now().toISOString() },
      });
    } catch (error) {
      if (error instanceof CallOfRecordingGoneError) return { audited: false };
      throw error;
    }
    return { audited: true };
  }

  /**
   * Discards a recording the workflow must not move: every staged version goes, and, if the copy may
   * have started (`copyMayHaveStarted`), every home version too, unless the call record (live or
   * soft-deleted) names a transferred recording, which then is the call's own and stays with it.
   */
  async discard(
    recording: StagedRecording,
    reason: DiscardReason,
    copyMayHaveStarted: boolean,
  ): Promise<DiscardOutcome> {
    const stagedVersionsDeleted = await this.deps.mover.deleteStaged(recording.key);
    let homeVersionsDeleted = 0;
    if (copyMayHaveStarted) {
      const call = await this.deps.store.get<CallFields>(recording.accountId, callRefOf(recording));
      if (!call?.fields.recording_transfer) {
        homeVersionsDeleted = await this.deps.mover.deleteHome(recording.key);
      }
    }
    return {
      outcome: 'discarded',
      reason,
      callId: recording.callId,
      stagedVersionsDeleted,
      homeVersionsDeleted,
    };
  }

  /** No staged original: the call being gone explains it (the workflow discards); otherwise it fails. */
  private async stagedMissing(recording: StagedRecording): Promise<never> {
    await this.liveCall(recording);
    throw new StagedRecordingMissingError(recording.callId);
  }

  private async liveCall(recording: StagedRecording) {
    const call = await this.deps.store.get<CallFields>(recording.accountId, callRefOf(recording));
    if (!call || call.deletedAt) throw new CallOfRecordingGoneError(recording.callId);
    return call;
  }

  private async updateCall(recording: StagedRecording, changes: Partial<CallFields>) {
    try {
      await this.calls.updateAs(transferActor, recording.accountId, callRefOf(recording), changes);
    } catch (error) {
      if (error instanceof NotFoundError) throw new CallOfRecordingGoneError(recording.callId);
      throw error;
    }
  }
}

const callRefOf = (recording: StagedRecording): RecordRef => ({ type: 'call', id: recording.callId });

/** The reason a discard names, from the error that sent the workflow there. */
export function discardReasonOf(errorName: string | undefined): DiscardReason {
  if (errorName === 'RecordingAlreadyTransferred') return 'already_transferred';
  if (errorName === 'CallOfRecordingGone') return 'call_gone';
  throw new Error('A discard needs the error that sent the workflow there ($.discard.Error)');
}
