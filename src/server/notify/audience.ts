// Who hears about what, in one place for every notification: a subscriber of everything, or of
// one of the components concerned. Used inside the INSERT … SELECT that writes the outbox rows,
// where `sub` is the subscribers row.
import { sql, type SQL } from 'drizzle-orm';

export function subscribedTo(componentIds: readonly number[]): SQL {
  return sql`(sub.all_components = 1 or exists (
    select 1 from subscriber_components sc
    where sc.subscriber_id = sub.id and sc.component_id in (select value from json_each(${JSON.stringify(componentIds)}))
  ))`;
}
