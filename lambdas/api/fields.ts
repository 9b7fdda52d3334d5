import { z } from 'zod';
import {
  type FieldKind,
  createCompanyFieldSchema,
  createContactFieldSchema,
  createTicketFieldSchema,
  fieldView,
  updateCompanyFieldSchema,
  updateContactFieldSchema,
  updateTicketFieldSchema,
} from '#domain/fields/field-definition';
import { FieldService } from '#domain/fields/field-service';
import { getRuntime } from '#adapters/runtime';
import { CannedResponseFolderService } from '#domain/canned-responses/canned-response-folder-service';
import { CannedResponseService } from '#domain/canned-responses/canned-response-service';
import { ProductService } from '#domain/products/product-service';
import { cannedResponseRoutes } from './canned-responses.ts';
import { productRoutes } from './products.ts';
import { type ApiDependencies, lazyHandler } from '#http/api-handler';
import { crudRoutes } from '#http/crud-routes';
import { pageNumberSchema } from '#http/request';
import { jsonResponse } from '#http/responses';
import { type RouteHandler, routedApi } from '#http/routed-api';

/** The fields of a form are few and held whole: they page by number only. */
export const fieldListQuerySchema = z.object(pageNumberSchema).strict();

const schemas = {
  contact: { create: createContactFieldSchema, update: updateContactFieldSchema },
  ticket: { create: createTicketFieldSchema, update: updateTicketFieldSchema },
  company: { create: createCompanyFieldSchema, update: updateCompanyFieldSchema },
} as const;

/** The routes of one form: everyone reads `/api/v2/<kind>_fields`; admins manage `/api/v2/admin/<kind>_fields`. */
function formRoutes(kind: FieldKind, service: FieldService): Record<string, RouteHandler> {
  const view = (record: Parameters<typeof fieldView>[1]) => fieldView(kind, record);
  return {
    [`GET /api/v2/${kind}_fields`]: async (_event, principal) =>
      jsonResponse(200, (await service.definitions(principal)).map(view)),
    ...crudRoutes({
      path: `/api/v2/admin/${kind}_fields`,
      service,
      view,
      createSchema: schemas[kind].create,
      updateSchema: schemas[kind].update,
      listQuerySchema: fieldListQuerySchema,
    }),
  };
}

/**
 * The helpdesk's configuration: contact, ticket and company fields (custom field definitions, Freshdesk
 * v2), products, and canned responses with their folders. One function serves them all, so that the
 * API stack keeps room for routes (docs/deploy.md, "Room in the API stack").
 */
export function createFieldsHandler(
  deps: ApiDependencies & {
    contactFields: FieldService;
    ticketFields: FieldService;
    companyFields: FieldService;
    products: ProductService;
    cannedResponseFolders: CannedResponseFolderService;
    cannedResponses: CannedResponseService;
  },
) {
  return routedApi(deps, {
    ...formRoutes('contact', deps.contactFields),
    ...formRoutes('ticket', deps.ticketFields),
    ...formRoutes('company', deps.companyFields),
    ...productRoutes(deps.products),
    ...cannedResponseRoutes({ folders: deps.cannedResponseFolders, responses: deps.cannedResponses }),
  });
}

export const handler = lazyHandler(() => {
  const runtime = getRuntime('fields');
  const services = { store: runtime.records, now: runtime.now, newId: runtime.newId };
  return createFieldsHandler({
    ...runtime,
    contactFields: new FieldService(services, 'contact'),
    ticketFields: new FieldService(services, 'ticket'),
    companyFields: new FieldService(services, 'company'),
    products: new ProductService(services),
    cannedResponseFolders: new CannedResponseFolderService(services),
    cannedResponses: new CannedResponseService(services),
  });
});
