/** The product form's fields as typed, and what is sent: checked here first so most mistakes never reach the server. */
export interface ProductDraft {
  name: string;
  description: string;
  price: string;
  categoryId: string;
}

export interface ProductInput {
  name: string;
  description: string;
  price: number;
  categoryId: string;
}

export type FieldErrors = Partial<Record<keyof ProductDraft | 'delta' | 'form', string>>;

/** Same limits as catalog's (CreateProductInput): the server checks them again and its message wins if they differ. */
export const NAME_MAX = 200;
export const DESCRIPTION_MAX = 4_000;
export const PRICE_MAX = 1_000_000;

export function validateProduct(draft: ProductDraft): { input?: ProductInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = draft.name.trim();
  if (!name) errors.name = 'Enter a name.';
  else if (name.length > NAME_MAX) errors.name = `Use at most ${NAME_MAX} characters (now ${name.length}).`;
  if (draft.description.length > DESCRIPTION_MAX) errors.description = `Use at most ${DESCRIPTION_MAX} characters (now ${draft.description.length}).`;
  const priceText = draft.price.trim().replace(/^\$/, '').replace(/,/g, '');
  const price = Number(priceText);
  if (!priceText) errors.price = 'Enter a price in dollars, e.g. 19.99.';
  else if (!/^\d+(\.\d{1,2})?$/.test(priceText) || !Number.isFinite(price)) errors.price = 'Enter a price in dollars with at most two decimals, e.g. 19.99.';
  else if (price <= 0 || price > PRICE_MAX) errors.price = `The price must be more than $0 and at most $${PRICE_MAX.toLocaleString('en-US')}.`;
  if (!draft.categoryId) errors.categoryId = 'Choose a category.';
  if (Object.keys(errors).length > 0) return { errors };
  return { input: { name, description: draft.description.trim(), price, categoryId: draft.categoryId }, errors };
}

/** A stock change as typed: a whole number of units, not zero, and not taking on-hand below what is reserved. */
export function validateDelta(text: string, onHand: number, reserved: number): { delta?: number; error?: string } {
  const trimmed = text.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) return { error: 'Enter a whole number of units: 5 adds five, -5 removes five.' };
  const delta = Number(trimmed);
  if (delta === 0) return { error: 'Enter a number other than 0.' };
  if (onHand + delta < reserved)
    return { error: `At most ${onHand - reserved} can be removed: ${reserved} of the ${onHand} on hand are reserved for placed orders.` };
  return { delta };
}

/** Puts the server's UserErrors next to the field they name (`field: ["input", "price"]`); the rest above the form. */
export function fieldErrorsOf(errors: readonly { code: string; message: string; field?: readonly string[] | null }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) {
    const field = e.field?.[e.field.length - 1];
    const key = field === 'name' || field === 'description' || field === 'price' || field === 'categoryId' || field === 'delta' ? field : 'form';
    const message = e.code === 'NOT_FOUND' && key === 'form' ? `${e.message} It may have been removed; go back to the product list.` : e.message;
    out[key] = out[key] ? `${out[key]} ${message}` : message;
  }
  return out;
}
