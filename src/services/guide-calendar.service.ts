import { calendarText } from '../mail/calendar';
import type { GuideLinkService } from './guide-links.service';
import type { Notifier } from './notices';
import { publishedWithSessions, type ServiceDeps } from './support';

/** How far back a feed keeps sessions, so last week's stays in the phone's calendar. */
const FEED_DAYS_BACK = 30;

/**
 * A guide's calendar feed: what a phone subscribes to with the link from their coordinator.
 * The same UIDs and SEQUENCEs as the e-mailed files, so the two never show a session twice;
 * a cancelled session stays in the feed as cancelled, so subscribed calendars strike it out.
 */
export class GuideCalendarService {
  constructor(private readonly deps: ServiceDeps & { guideLinks: GuideLinkService; notifier: Notifier }) {}

  async feed(token: string): Promise<string> {
    const guide = await this.deps.guideLinks.resolve(token, 'calendar');
    const now = this.deps.clock.now();
    const m = this.deps.store.manager;
    const rows = await publishedWithSessions(m)
      .andWhere('a.guide_id = :guideId', { guideId: guide.id })
      .andWhere('s.ends_at > :since', { since: new Date(now.getTime() - FEED_DAYS_BACK * 86_400_000) })
      .orderBy('s.starts_at', 'ASC')
      .limit(1000)
      .getMany();
    const items = await this.deps.notifier.items(m, rows);
    const list = rows.map((a) =>
      Object.assign(items.get(a.id)!, a.session!.status === 'cancelled' ? { change: 'cancelled' as const } : {}),
    );
    const association = (await this.deps.notifier.contacts(m, [guide.id])).get(guide.id)!.association;
    return calendarText(list, {
      method: 'PUBLISH',
      organizer: { name: association, email: this.deps.notifier.settings.mailFrom },
      stamp: now,
      name: `IT-café – ${association}`,
    });
  }
}
