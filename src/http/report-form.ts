import { instantToLocal } from '../domain/time';
import type { Services } from '../services';
import type { FullReport } from '../services/attendance.service';
import type { QueueActor } from '../services/queue.service';

type Attendance = FullReport['attendances'][number];

/** A session's attendance report, and the after-café form: the same for a guide's link and a logged-in user. */
/** Topics by platform as recorded: null where the session has help but was reported without the breakdown. */
const topicsByPlatform = ({ help, cells }: Pick<FullReport, 'help' | 'cells'>) =>
  cells.length || !help.length ? cells.map((c) => ({ platform: c.platform, topic: c.topic, count: c.count })) : null;

export const toReport = ({ report, attendances, shifts, help, cells }: FullReport) => ({
  id: report.id,
  sessionId: report.sessionId,
  revision: report.revision,
  localDate: report.localDate,
  seniors: attendances.map((a) => ({
    seniorId: a.seniorId,
    kind: a.kind,
    present: a.present,
    count: a.count,
    helpedByGuideId: a.helpedByGuideId,
  })),
  guides: shifts.map((g) => ({
    guideId: g.guideId,
    status: g.status,
    substitute: g.substitute,
    startedAt: g.startedAt?.toISOString() ?? null,
    endedAt: g.endedAt?.toISOString() ?? null,
    minutes: g.minutes,
    approved: g.approvedBy !== null,
  })),
  help: {
    topics: Object.fromEntries(help.filter((h) => h.dimension === 'topic').map((h) => [h.key, h.count])),
    platforms: Object.fromEntries(help.filter((h) => h.dimension === 'platform').map((h) => [h.key, h.count])),
    topicsByPlatform: topicsByPlatform({ help, cells }),
  },
  dayReport: report.dayReport,
  createdAt: report.createdAt.toISOString(),
  updatedAt: report.updatedAt.toISOString(),
});

/** A recorded report as the form's answers, with the display names of known walk-ins (the guide met them). */
async function currentAnswers(
  { report, attendances, shifts, help, cells }: FullReport,
  zone: string,
  seniors: Services['seniors'],
  { key, mayName }: { key: (seniorId: string) => string; mayName: (a: Attendance) => boolean },
) {
  const walkIns = attendances.filter((a) => a.kind === 'walk_in' && a.seniorId);
  const names = await seniors.displayNames(
    walkIns.filter(mayName).map((a) => a.seniorId!),
    'attendance',
  );
  const local = (d: Date | null) => (d ? instantToLocal(d, zone).time : null);
  return {
    came: attendances.filter((a) => a.kind === 'registered' && a.present).map((a) => key(a.seniorId!)),
    walkIns: {
      seniors: walkIns.map((a) => ({ seniorId: a.seniorId!, displayName: names.get(a.seniorId!) ?? null })),
      anonymous: attendances
        .filter((a) => !a.seniorId)
        .map((a) => ({
          count: a.count,
          ageBand: a.ageBand,
          gender: a.gender,
          newlyArrived: a.newlyArrived,
          helpedByGuideId: a.helpedByGuideId,
        })),
    },
    helpedBy: attendances.flatMap((a) =>
      a.seniorId && a.helpedByGuideId ? [{ seniorId: key(a.seniorId), guideId: a.helpedByGuideId }] : [],
    ),
    help: {
      topics: Object.fromEntries(help.filter((h) => h.dimension === 'topic').map((h) => [h.key, h.count])),
      platforms: Object.fromEntries(help.filter((h) => h.dimension === 'platform').map((h) => [h.key, h.count])),
      topicsByPlatform: topicsByPlatform({ help, cells }),
    },
    guides: shifts.map((g) => ({
      guideId: g.guideId,
      status: g.status,
      start: local(g.startedAt),
      end: local(g.endedAt),
    })),
    dayReport: report.dayReport,
  };
}

/**
 * What the after-café form needs, with the answers recorded so far: the same for a guide's link
 * and a logged-in user, but a guide's link (`reader`) names only that guide's own seniors, and
 * gives the others under their seat's id (see AttendanceService.form).
 */
export async function reportForm(
  { attendance, seniors }: Pick<Services, 'attendance' | 'seniors'>,
  sessionId: string,
  reader: QueueActor = null,
) {
  const f = await attendance.form(sessionId, reader);
  const limits = attendance.limits(f.session);
  const key = (seniorId: string) => f.seniorKeys.get(seniorId) ?? seniorId;
  // A known walk-in's name: for staff, and for the guide who helped them while the form names anyone.
  const mayName = (a: Attendance) => reader === null || (f.namesOpen && a.helpedByGuideId === reader.guideId);
  const fromQueue = f.fromQueue && {
    ...f.fromQueue,
    came: f.fromQueue.came.map(key),
    helpedBy: f.fromQueue.helpedBy.map((h) => ({ ...h, seniorId: key(h.seniorId) })),
  };
  return {
    sessionId: f.session.id,
    localDate: f.session.localDate,
    startTime: instantToLocal(f.session.startsAt, f.session.timeZone).time,
    endTime: instantToLocal(f.session.endsAt, f.session.timeZone).time,
    earliest: instantToLocal(limits.earliest, f.session.timeZone).time,
    latest: instantToLocal(limits.latest, f.session.timeZone).time,
    venue: f.venue,
    seated: f.seated.map((s) => ({ seniorId: key(s.seniorId), displayName: s.displayName })),
    guides: f.guides,
    revision: f.revision,
    current: f.current && (await currentAnswers(f.current, f.session.timeZone, seniors, { key, mayName })),
    fromQueue,
  };
}
