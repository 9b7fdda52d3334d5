import { recordViewShape } from '#domain/records/record-view-schema';
import { z } from 'zod';
import { nameText, updateSchemaOf } from '#domain/records/write-schemas';
import type { Principal } from '#domain/account';
import { ValidationError } from '#domain/errors';
import { requirePermission } from '#domain/roles/permission-check';
import { RecordTrash } from '#domain/purge/record-trash';
import { RecordLifecycle } from '#domain/records/record-lifecycle';
import type { RecordStore } from '#domain/records/record-store';
import type { RecordRef, StoredRecord } from '#domain/records/record';
import type { Paging } from '#domain/records/paging';

/** Product fields, Freshdesk API v2 names. */
export const productFieldsSchema = z
  .object({
    name: nameText(255),
    description: z.string().max(10_000).nullable(),
    primary_email: z.string().trim().max(254).email('It should be a valid email address').nullable(),
  })
  .strict();

export type ProductFields = z.infer<typeof productFieldsSchema>;
export const createProductSchema = productFieldsSchema.partial().required({ name: true }).strict();
export const updateProductSchema = updateSchemaOf(productFieldsSchema);

const productRef = (id: number): RecordRef => ({ type: 'product', id });
export type StoredProduct = StoredRecord<ProductFields>;

const deriveProduct = (record: StoredProduct): StoredProduct => ({
  ...record,
  subjects: [],
  uniqueValues: { name: record.fields.name.trim().toLowerCase() },
});

const requireProductAdmin = (principal: Principal) =>
  requirePermission(principal, 'admin.products', 'change products');

/**
 * A ticket's `product_id` must name a live product of the account: else 400 `invalid_value` naming the
 * field, as v2 answers for a reference to nothing. `null` (no product) is always fine.
 */
export async function requireLiveProduct(
  store: RecordStore,
  accountId: string,
  productId: number | null | undefined,
): Promise<void> {
  if (productId === null || productId === undefined) return;
  const product = await store.get(accountId, productRef(productId));
  if (!product || product.deletedAt) {
    throw new ValidationError([
      {
        field: 'product_id',
        message: 'There is no product matching the given product_id',
        code: 'invalid_value',
      },
    ]);
  }
}

/** Products (v2): admins create, change and delete them; every agent may read them. */
export class ProductService {
  private readonly lifecycle: RecordLifecycle<ProductFields>;
  private readonly trash: RecordTrash;

  constructor(private readonly deps: { store: RecordStore; now: () => Date; newId: () => number }) {
    this.lifecycle = new RecordLifecycle(
      deps,
      deriveProduct,
      'A product of that name exists, or it changed since you read it.',
    );
    this.trash = new RecordTrash(deps);
  }

  create(principal: Principal, input: Partial<ProductFields> & { name: string }): Promise<StoredProduct> {
    requireProductAdmin(principal);
    const at = this.deps.now().toISOString();
    return this.lifecycle.create(
      principal,
      {
        accountId: principal.accountId,
        ref: productRef(this.deps.newId()),
        version: 1,
        createdAt: at,
        updatedAt: at,
        fields: { description: null, primary_email: null, ...input },
        subjects: [],
      },
      Object.keys(input),
    );
  }

  get = (principal: Principal, id: number) => this.lifecycle.getLive(principal, productRef(id));
  list = (principal: Principal, paging: Paging) =>
    this.deps.store.list<ProductFields>(principal.accountId, 'product', paging);

  update(principal: Principal, id: number, changes: Partial<ProductFields>, ifMatch?: string) {
    requireProductAdmin(principal);
    return this.lifecycle.update(principal, productRef(id), changes, ifMatch);
  }

  softDelete(principal: Principal, id: number) {
    requireProductAdmin(principal);
    return this.lifecycle.softDelete(principal, productRef(id));
  }

  restore(principal: Principal, id: number) {
    requireProductAdmin(principal);
    return this.trash.restore(principal, productRef(id));
  }
}

/** A product as Freshdesk v2 shows it. */
export const productViewSchema = productFieldsSchema.extend(recordViewShape);
export function productView(record: StoredProduct): z.infer<typeof productViewSchema> {
  return { id: record.ref.id, ...record.fields, created_at: record.createdAt, updated_at: record.updatedAt };
}
