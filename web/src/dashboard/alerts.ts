/**
 * The dashboard's list after an `alertUpdated` event: a new alert goes on top (the list is newest raised first) and
 * the oldest falls off past `max`; a known alert keeps its place, its fields being updated in the normalized cache.
 */
export function withAlert<T extends { id: string }>(list: readonly T[], alert: T, max: number): T[] {
  return list.some((a) => a.id === alert.id) ? [...list] : [alert, ...list].slice(0, max);
}
