import { z } from 'zod';
import { createContactSchema, updateContactSchema } from '#domain/contacts/contact-schema';
import { ContactService, contactView } from '#domain/contacts/contact-service';
import { etagOf } from '#domain/records/record';
import { getRuntime } from '#adapters/runtime';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { nextPageLink, paginationSchema, parseJsonBody, parseQuery, pathId } from '#http/request';
import { jsonResponse, noContent } from '#http/responses';
import { type RouteHandler, routedApi } from '#http/routed-api';

export const contactListQuerySchema = z
  .object({
    ...paginationSchema,
    email: z.string().max(254).optional(),
    company_id: z.coerce.number().int().positive().optional(),
    updated_since: z.iso.datetime({ offset: true }).optional(),
    state: z.enum(['deleted']).optional(),
  })
  .strict();

/** /api/v2/contacts: thin routing over ContactService. */
export function createContactsHandler(deps: ApiDependencies & { contacts: ContactService }) {
  const routes: Record<string, RouteHandler> = {
    'POST /api/v2/contacts': async (event, principal) => {
      const record = await deps.contacts.create(principal, parseJsonBody(event, createContactSchema));
      return jsonResponse(201, contactView(record), {
        etag: etagOf(record),
        location: `/api/v2/contacts/${record.ref.id}`,
      });
    },
    'GET /api/v2/contacts': async (event, principal) => {
      const query = parseQuery(event, contactListQuerySchema);
      const page = await deps.contacts.list(principal, query);
      return jsonResponse(
        200,
        page.records.map(contactView),
        page.hasMore ? nextPageLink(event, query.page, query.per_page) : {},
      );
    },
    'GET /api/v2/contacts/{id}': async (event, principal) => {
      const record = await deps.contacts.get(principal, pathId(event));
      return jsonResponse(200, contactView(record), { etag: etagOf(record) });
    },
    'PUT /api/v2/contacts/{id}': async (event, principal) => {
      const id = pathId(event);
      const record = await deps.contacts.update(
        principal,
        id,
        parseJsonBody(event, updateContactSchema),
        event.headers?.['if-match'],
      );
      return jsonResponse(200, contactView(record), { etag: etagOf(record) });
    },
    'DELETE /api/v2/contacts/{id}': async (event, principal) => {
      await deps.contacts.softDelete(principal, pathId(event));
      return noContent();
    },
    'PUT /api/v2/contacts/{id}/restore': async (event, principal) => {
      await deps.contacts.restore(principal, pathId(event));
      return noContent();
    },
  };
  return routedApi(deps, routes);
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime();
  return createContactsHandler({
    ...runtime,
    homeRegion: runtime.env.HOME_REGION,
    contacts: new ContactService({ store: runtime.records, now: runtime.now, newId: runtime.newId }),
  });
});
