/** Size and SHA-256 (hex) of an object's bytes. */
export interface ObjectFingerprint {
  readonly size: number;
  readonly sha256: string;
}

export type RecordingSide = 'staging' | 'home';

/** Which staged upload a copy took: its version id, where the staging store keeps versions. */
export interface CopiedUpload {
  readonly versionId?: string;
}

/**
 * Moves recording objects from the staging bucket (one region) to the home recordings bucket (another
 * region), encrypted there with the home region's key. Keys are the same on both sides.
 */
export interface RecordingMover {
  exists(side: RecordingSide, key: string): Promise<boolean>;
  /**
   * Server-side copy of the staged object's current version to home (large objects in parts, never
   * through memory); answers which version it copied, so the verification reads that same version.
   */
  copyToHome(key: string): Promise<CopiedUpload>;
  /**
   * Streams the object to compute its fingerprint (on the staging side, of `versionId` when given);
   * undefined if there is no such object.
   */
  fingerprint(side: RecordingSide, key: string, versionId?: string): Promise<ObjectFingerprint | undefined>;
  /** Deletes every version (and delete marker) of the staged object; answers how many went. */
  deleteStaged(key: string): Promise<number>;
  /** Deletes every version (and delete marker) of the home object; answers how many went. */
  deleteHome(key: string): Promise<number>;
}
