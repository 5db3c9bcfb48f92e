// Who hears about what, in one place for every notification: a subscriber of everything, of one
// of the components concerned, or of a group one of them belongs to (membership as it is when the
// notice goes out, so components added to a group later are included). Used inside the
// INSERT … SELECT that writes the outbox rows, where `sub` is the subscribers row.
import { sql, type SQL } from 'drizzle-orm';

export function subscribedTo(componentIds: readonly number[]): SQL {
  const ids = JSON.stringify(componentIds);
  return sql`(sub.all_components = 1
    or exists (
      select 1 from subscriber_components sc
      where sc.subscriber_id = sub.id and sc.component_id in (select value from json_each(${ids}))
    )
    or exists (
      select 1 from subscriber_groups sg join components gc on gc.group_id = sg.group_id
      where sg.subscriber_id = sub.id and gc.id in (select value from json_each(${ids}))
    ))`;
}
