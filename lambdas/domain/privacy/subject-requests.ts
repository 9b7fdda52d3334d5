import type { RecordStore } from '#domain/records/record-store';
import type { SubjectRef } from '#domain/records/record';
import {
  type PrivacyRequestFields,
  type StoredPrivacyRequest,
  subjectRequestsKey,
} from './privacy-request.ts';

/** Every request about a subject, newest first (listed under the subject; a subject has few). */
export async function requestsOfSubject(
  store: RecordStore,
  accountId: string,
  subject: SubjectRef,
): Promise<StoredPrivacyRequest[]> {
  const requests: StoredPrivacyRequest[] = [];
  for (let cursor: string | undefined, more = true; more;) {
    const batch = await store.listByParent<PrivacyRequestFields>(accountId, subjectRequestsKey(subject), {
      page: 1,
      perPage: 100,
      cursor,
    });
    more = batch.hasMore;
    cursor = batch.next;
    requests.push(...batch.records);
  }
  return requests;
}
