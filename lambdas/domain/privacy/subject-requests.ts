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
  for (let page = 1, more = true; more; page += 1) {
    const batch = await store.listByParent<PrivacyRequestFields>(accountId, subjectRequestsKey(subject), {
      page,
      perPage: 100,
    });
    more = batch.hasMore;
    requests.push(...batch.records);
  }
  return requests;
}
