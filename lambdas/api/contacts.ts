import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { agentView } from '#domain/agents/agent-service';
import { ContactConversion, makeAgentSchema } from '#domain/contacts/contact-conversion';
import { ContactMerge, mergeInProgressView } from '#domain/contacts/contact-merge';
import { contactMergeSchema } from '#domain/contacts/contact-merge-input';
import {
  type ContactFields,
  createContactSchema,
  updateContactSchema,
} from '#domain/contacts/contact-schema';
import { SearchService } from '#domain/search/search-service';
import { ContactService, contactStates } from '#domain/contacts/contact-service';
import { PortalTokenService } from '#domain/contacts/portal-token-service';
import { etagOf, type SubjectRef } from '#domain/records/record';
import { suggestionView } from '#domain/records/autocomplete';
import { PrivacyRequestService } from '#domain/privacy/privacy-request-service';
import { contactViewer } from '#domain/requesters/requester-views';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { listPaging, nextPageLink, paginationSchema, parseJsonBody, parseQuery, pathId } from '#http/request';
import { erasureStarted, jsonResponse, noContent } from '#http/responses';
import { searchRoute } from '#http/search-route';
import { type RouteHandler, routedApi } from '#http/routed-api';

export const contactListQuerySchema = z
  .object({
    ...paginationSchema,
    email: z.string().max(254).optional(),
    phone: z.string().max(255).optional(),
    mobile: z.string().max(255).optional(),
    company_id: z.coerce.number().int().positive().optional(),
    updated_since: z.iso.datetime({ offset: true }).optional(),
    state: z.enum(contactStates).optional(),
    unique_external_id: z.string().trim().min(1).max(255).optional(),
  })
  .strict();

/** v2's contact autocomplete takes the beginning of a name or an e-mail address. */
export const contactAutocompleteQuerySchema = z
  .object({ term: z.string().trim().min(1, 'It should not be blank').max(254) })
  .strict();

/** A body is optional (v2 converts with defaults without one); one that is sent is validated. */
const optionalJsonBody = <S extends z.ZodType>(event: APIGatewayProxyEventV2, schema: S): z.infer<S> =>
  event.body ? parseJsonBody(event, schema) : schema.parse({});

const contactSubject = (event: APIGatewayProxyEventV2): SubjectRef => ({
  kind: 'contact',
  id: pathId(event),
});

/** /api/v2/contacts: thin routing over ContactService; views show what the caller may see (contactViewer). */
export function createContactsHandler(
  deps: ApiDependencies & {
    contacts: ContactService;
    conversion: ContactConversion;
    portalTokens: PortalTokenService;
    erasures: PrivacyRequestService;
    search: SearchService;
    merges: ContactMerge;
  },
) {
  const routes: Record<string, RouteHandler> = {
    'POST /api/v2/contacts/merge': async (event, principal) => {
      const outcome = await deps.merges.merge(principal, parseJsonBody(event, contactMergeSchema));
      // Cut short by its time budget: what is moved stays moved, and the same request continues it.
      return outcome === 'done' ? noContent() : jsonResponse(202, mergeInProgressView);
    },
    'POST /api/v2/contacts': async (event, principal) => {
      const input = parseJsonBody(event, createContactSchema);
      const form = await deps.contacts.form(principal);
      const record = await deps.contacts.create(principal, input, form);
      return jsonResponse(201, contactViewer(principal, form)(record), {
        etag: etagOf(record),
        location: `/api/v2/contacts/${record.ref.id}`,
      });
    },
    'GET /api/v2/contacts/autocomplete': async (event, principal) => {
      const { term } = parseQuery(event, contactAutocompleteQuerySchema);
      const contacts = await deps.contacts.autocomplete(principal, term);
      return jsonResponse(200, contacts.map(suggestionView));
    },
    'GET /api/v2/search/contacts': searchRoute<ContactFields>('contacts', deps.search, async (principal) =>
      contactViewer(principal, await deps.contacts.form(principal)),
    ),
    'GET /api/v2/contacts': async (event, principal) => {
      const query = parseQuery(event, contactListQuerySchema);
      const form = await deps.contacts.form(principal);
      const paging = listPaging(query);
      const page = await deps.contacts.list(principal, { ...query, ...paging }, form);
      return jsonResponse(
        200,
        page.records.map(contactViewer(principal, form)),
        nextPageLink(event, paging, page),
      );
    },
    'GET /api/v2/contacts/{id}': async (event, principal) => {
      const record = await deps.contacts.get(principal, pathId(event));
      const form = await deps.contacts.form(principal);
      return jsonResponse(200, contactViewer(principal, form)(record), { etag: etagOf(record) });
    },
    'PUT /api/v2/contacts/{id}': async (event, principal) => {
      const id = pathId(event);
      const changes = parseJsonBody(event, updateContactSchema);
      const form = await deps.contacts.form(principal);
      const record = await deps.contacts.update(principal, id, changes, form, event.headers?.['if-match']);
      return jsonResponse(200, contactViewer(principal, form)(record), { etag: etagOf(record) });
    },
    // v2's deletions are erasures: a verified request runs the erasure workflow (docs/privacy-requests.md).
    'DELETE /api/v2/contacts/{id}': async (event, principal) =>
      erasureStarted(await deps.erasures.eraseByAdmin(principal, contactSubject(event), 'soft')),
    'DELETE /api/v2/contacts/{id}/hard_delete': async (event, principal) =>
      erasureStarted(await deps.erasures.eraseByAdmin(principal, contactSubject(event), 'permanent')),
    'PUT /api/v2/contacts/{id}/restore': async (event, principal) => {
      const request = await deps.erasures.restoreSubject(principal, contactSubject(event));
      return request ? erasureStarted(request) : noContent();
    },
    'PUT /api/v2/contacts/{id}/make_agent': async (event, principal) => {
      const id = pathId(event);
      const agent = await deps.conversion.makeAgent(principal, id, optionalJsonBody(event, makeAgentSchema));
      return jsonResponse(200, agentView(agent), { etag: etagOf(agent) });
    },
    'POST /api/v2/contacts/{id}/portal_token': async (event, principal) =>
      jsonResponse(201, await deps.portalTokens.issue(principal, pathId(event))),
    'POST /api/v2/admin/portal_token_secret/rotate': async (_event, principal) =>
      jsonResponse(200, await deps.portalTokens.rotateSecret(principal)),
  };
  return routedApi(deps, routes);
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('contacts');
  if (!runtime.portalSecrets) throw new Error('The contacts function needs PORTAL_SECRET_KEY');
  const services = { store: runtime.records, now: runtime.now, newId: runtime.newId };
  return createContactsHandler({
    ...runtime,
    contacts: new ContactService(services),
    search: new SearchService(services),
    conversion: new ContactConversion(services),
    merges: new ContactMerge(services),
    erasures: new PrivacyRequestService({ ...services, erasureWorkflow: runtime.workflows.privacyErasure }),
    portalTokens: new PortalTokenService({
      store: runtime.records,
      secrets: runtime.portalSecrets,
      homeRegion: runtime.homeRegion,
      now: runtime.now,
    }),
  });
});
