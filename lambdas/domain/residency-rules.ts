import { CategoryNotAllowedError } from '#domain/errors';
import {
  type HostingRegionKey,
  hostingRegion,
  isCategoryAllowed,
  productCatalogue,
} from '#lib/residency/index';

type HelpdeskCategory = keyof (typeof productCatalogue)['helpdesk']['categories'];

/** Refuses, naming the rule, to store a helpdesk data category the matrix keeps out of `homeRegion`. */
export function requireCategoryHosted(category: HelpdeskCategory, homeRegion: HostingRegionKey): void {
  if (isCategoryAllowed('helpdesk', category, homeRegion)) return;
  const allowedIn = productCatalogue.helpdesk.categories[category]
    .map((key) => hostingRegion(key).name)
    .join(' and the ');
  throw new CategoryNotAllowedError(category, hostingRegion(homeRegion).name, `the ${allowedIn}`);
}
