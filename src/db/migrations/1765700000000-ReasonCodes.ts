import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The engine's reasons were English sentences; now they are codes with parameters, which pages
 * and mails word in Swedish (src/contract/reasons.ts). This turns the sentences already stored
 * (an assignment's reasons and conflict, a plan's shortfalls and uncovered platforms) into codes.
 * The patterns are those the engine wrote until now, frozen here. A sentence none of them reads
 * (only the old hours line, which lacked its week) is left out: planning again writes it anew.
 */
type Coded = { code: string; params: Record<string, unknown> };
const DAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const none = {};

const PATTERNS: [RegExp, (m: string[]) => Coded | Coded[]][] = [
  [/^fixed: /, () => ({ code: 'pinned', params: none })],
  [/^(put here|swapped in) by a coordinator$/, () => ({ code: 'put_by_coordinator', params: none })],
  [/^took a place another guide gave up$/, () => ({ code: 'took_given_up_place', params: none })],
  [
    /^covers (.+)$/,
    (m) =>
      [...m[1].matchAll(/(\w+) \(([\d.]+) seniors\)/g)].map((x) => ({
        code: 'knows_platform',
        params: { platform: x[1], seniors: Math.max(1, Math.round(Number(x[2]))) },
      })),
  ],
  [
    /^speaks (.+)$/,
    (m) =>
      [...m[1].matchAll(/(\w+) \(([\d.]+) seniors\)/g)].map((x) => ({
        code: 'speaks_language',
        params: { language: x[1], seniors: Math.max(1, Math.round(Number(x[2]))) },
      })),
  ],
  [/^new guide, working beside/, () => ({ code: 'new_guide_with_experienced', params: none })],
  [/^experienced, paired with a new guide$/, () => ({ code: 'experienced_with_new_guide', params: none })],
  [/^has worked at this venue (\d+) times$/, (m) => ({ code: 'has_been_here', params: { times: Number(m[1]) } })],
  [/^kept from the previous plan$/, () => ({ code: 'kept_from_previous_plan', params: none })],
  [/^already there$/, () => ({ code: 'already_on_session', params: none })],
  [
    /^not available (\w{3}) (\d\d:\d\d)–(\d\d:\d\d)$/,
    (m) => ({ code: 'not_available', params: { weekday: DAY[m[1]] ?? 1, from: m[2], to: m[3] } }),
  ],
  [/^unavailable on (\S+)$/, (m) => ({ code: 'unavailable_on', params: { date: m[1] } })],
  [
    /^would pass max ([\d.]+) h in (\S+) \(has ([\d.]+) h\)$/,
    (m) => ({ code: 'over_weekly_max', params: { maxHours: Number(m[1]), week: m[2], hours: Number(m[3]) } }),
  ],
  [
    /^busy (\S+) (\d\d:\d\d)–(\d\d:\d\d) elsewhere(?: \((\d+) min away\))?$/,
    (m) => ({
      code: 'busy_elsewhere',
      params: { date: m[1], from: m[2], to: m[3], travelMinutes: Number(m[4] ?? 0) },
    }),
  ],
  [/^the session is full$/, () => ({ code: 'session_full', params: none })],
  [/^free, but no second guide/, () => ({ code: 'no_second_guide', params: none })],
  [
    /^(\d+) of at least (\d+) guides on (\w{3}) (\S+) (\S+)$/,
    (m) => ({
      code: 'short_of_guides',
      params: { assigned: Number(m[1]), needed: Number(m[2]), weekday: DAY[m[3]] ?? 1, date: m[4], time: m[5] },
    }),
  ],
  [/^only (\d+) guide\(s\)/, (m) => ({ code: 'nobody_available', params: { count: Number(m[1]) } })],
  [/^of the (\d+) guides available then/, (m) => ({ code: 'others_busy', params: { count: Number(m[1]) } })],
  [/^a guide never works alone/, () => ({ code: 'never_alone', params: none })],
];

function coded(text: unknown): Coded[] {
  if (typeof text !== 'string') return text && typeof text === 'object' ? [text as Coded] : [];
  for (const [re, make] of PATTERNS) {
    const m = re.exec(text);
    if (m) return ([] as Coded[]).concat(make(m));
  }
  return [];
}
const codedAll = (texts: unknown) => (Array.isArray(texts) ? texts.flatMap(coded) : []);

function uncoveredReason(u: { platform: string; seniors: number; reason: unknown }): Coded {
  if (typeof u.reason !== 'string') return u.reason as Coded;
  const busy = /^the (\d+) available/.exec(u.reason);
  return busy
    ? { code: 'platform_guides_busy', params: { platform: u.platform, seniors: u.seniors, count: Number(busy[1]) } }
    : { code: 'no_platform_guide', params: { platform: u.platform, seniors: u.seniors } };
}

const parse = (text: unknown): unknown => (typeof text === 'string' ? JSON.parse(text) : text);

export class ReasonCodes1765700000000 implements MigrationInterface {
  name = 'ReasonCodes1765700000000';

  async up(q: QueryRunner): Promise<void> {
    const p = (i: number) => (q.connection.options.type === 'postgres' ? `$${i}` : '?');
    const assignments = (await q.query('SELECT id, reasons, conflict FROM assignments')) as {
      id: string;
      reasons: string;
      conflict: string | null;
    }[];
    for (const a of assignments) {
      const reasons = parse(a.reasons);
      const conflict = parse(a.conflict);
      if (!(Array.isArray(reasons) && reasons.some((r) => typeof r === 'string')) && !Array.isArray(conflict)) continue;
      const conflictCoded = Array.isArray(conflict) ? codedAll(conflict) : null;
      await q.query(`UPDATE assignments SET reasons = ${p(1)}, conflict = ${p(2)} WHERE id = ${p(3)}`, [
        JSON.stringify(codedAll(reasons)),
        conflictCoded?.length ? JSON.stringify(conflictCoded) : null,
        a.id,
      ]);
    }
    const plans = (await q.query('SELECT id, shortfalls, uncovered FROM plans')) as {
      id: string;
      shortfalls: string;
      uncovered: string;
    }[];
    for (const row of plans) {
      const shortfalls = (parse(row.shortfalls) ?? []) as {
        reasons: unknown;
        candidates?: { guideId: string; blockedBy: unknown }[];
      }[];
      const uncovered = (parse(row.uncovered) ?? []) as { platform: string; seniors: number; reason: unknown }[];
      await q.query(`UPDATE plans SET shortfalls = ${p(1)}, uncovered = ${p(2)} WHERE id = ${p(3)}`, [
        JSON.stringify(
          shortfalls.map((f) => ({
            ...f,
            reasons: codedAll(f.reasons),
            candidates: (f.candidates ?? []).map((c) => ({ ...c, blockedBy: codedAll(c.blockedBy) })),
          })),
        ),
        JSON.stringify(uncovered.map((u) => ({ ...u, reason: uncoveredReason(u) }))),
        row.id,
      ]);
    }
  }

  async down(): Promise<void> {
    // The codes stay: an older release shows them as written, which loses nothing.
  }
}
