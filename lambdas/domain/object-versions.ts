/** The versions of objects in a versioned bucket: what a deletion that must leave nothing behind needs. */
export interface ObjectVersions {
  /** Deletes every version and delete marker of the key; answers how many went. Repeating it deletes nothing. */
  deleteEveryVersion(bucket: string, key: string): Promise<number>;
}
