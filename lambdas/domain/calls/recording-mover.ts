/** Size and SHA-256 (hex) of an object's bytes. */
export interface ObjectFingerprint {
  readonly size: number;
  readonly sha256: string;
}

export type RecordingSide = 'staging' | 'home';

/**
 * Moves recording objects from the staging bucket (one region) to the home recordings bucket (another
 * region), encrypted there with the home region's key. Keys are the same on both sides.
 */
export interface RecordingMover {
  exists(side: RecordingSide, key: string): Promise<boolean>;
  /** Server-side copy from staging to home; large objects in parts, never through memory. */
  copyToHome(key: string): Promise<void>;
  /** Streams the object to compute its fingerprint; undefined if there is no such object. */
  fingerprint(side: RecordingSide, key: string): Promise<ObjectFingerprint | undefined>;
  /** Deletes every version (and delete marker) of the staged object; answers how many went. */
  deleteStaged(key: string): Promise<number>;
}
