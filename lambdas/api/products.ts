import { z } from 'zod';
import {
  type ProductService,
  createProductSchema,
  productView,
  updateProductSchema,
} from '#domain/products/product-service';
import { crudRoutes } from '#http/crud-routes';
import { paginationSchema } from '#http/request';
import type { RouteHandler } from '#http/routed-api';

export const productListQuerySchema = z.object(paginationSchema).strict();

/**
 * /api/v2/products: the five Freshdesk v2 operations over ProductService, and restore. Served by the
 * `fields` function with the rest of the helpdesk's configuration (lambdas/api/fields.ts).
 */
export function productRoutes(products: ProductService): Record<string, RouteHandler> {
  return crudRoutes({
    path: '/api/v2/products',
    service: products,
    view: productView,
    createSchema: createProductSchema,
    updateSchema: updateProductSchema,
    listQuerySchema: productListQuerySchema,
  });
}
