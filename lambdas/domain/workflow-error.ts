/**
 * The error name a workflow's Catch hands its failure task, as recorded on a business record: only a
 * plain name, never the cause (which may quote data); anything else is `UnknownError`.
 */
export const recordableErrorName = (error: { Error?: string } | undefined): string => {
  const name = error?.Error ?? 'UnknownError';
  return /^[A-Za-z0-9_.:-]{1,128}$/.test(name) ? name : 'UnknownError';
};
