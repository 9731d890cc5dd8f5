/** After the café: the one-minute attendance and day report, for a logged-in user or a guide's link. */
import type { z } from 'zod';
import { useState } from 'preact/hooks';
import type { ReportForm as FormSchema } from '../../contract/attendance';
import { AGE_BANDS, PLATFORMS, TOPICS } from '../../contract/vocabulary';
import { api, ApiError } from '../api';
import { ageBand, day, defineWords, platform, t, topic } from '../i18n';
import { errorText, type Message, MessageLine, Status, useLoad } from '../ui';

type Form = z.infer<typeof FormSchema>;
type Cross = { platform: string; topic: string; count: number };
type Anonymous = {
  count: number;
  ageBand: string | null;
  newlyArrived: boolean | null;
  helpedByGuideId?: string | null;
};

const w = defineWords({
  fromQueue: [
    'Vi fyllde i formuläret från kön. Kontrollera och spara.',
    'We filled in the form from the queue. Check it and save.',
  ],
  whoHelped: ['Vem hjälpte vem', 'Who helped whom'],
  seatedSenior: ['Anmäld senior', 'Signed-up senior'],
  walkInSenior: ['Senior utan anmälan', 'Walk-in senior'],
  walkInsHelped: ['{n} kom utan anmälan', '{n} walk-ins'],
  whoHelpedHint: ['Välj guiden som hjälpte varje senior.', 'Choose the guide who helped each senior.'],
  noGuide: ['Ingen guide vald', 'No guide chosen'],
  byPlatform: ['Ämnen per plattform', 'Topics by platform'],
  byPlatformHint: [
    'Välj vad seniorerna fick hjälp med på varje plattform. Då räknar vi ämnen och plattformar åt dig.',
    'Choose what the seniors got help with on each platform. Then we count topics and platforms for you.',
  ],
  fromRows: ['Vi räknar från raderna under Ämnen per plattform.', 'We count from the rows under Topics by platform.'],
  device: ['Plattform', 'Platform'],
  subject: ['Ämne', 'Topic'],
  removeRow: ['Ta bort rad {n}', 'Remove row {n}'],
  replaced: [
    'Raderna ändrar antalen ovanför. Förut stod det: {before}. Ta bort raderna så kommer de tillbaka.',
    'The rows change the counts above. Before, they said: {before}. Remove the rows to get them back.',
  ],
});

/** The queue's walk-ins as anonymous groups, one for each guide who helped (and one for those nobody took). */
function groupsFromQueue(walkIns: NonNullable<Form['fromQueue']>['walkIns']): Anonymous[] {
  const byGuide = new Map<string | null, number>();
  for (const v of walkIns) byGuide.set(v.helpedByGuideId, (byGuide.get(v.helpedByGuideId) ?? 0) + 1);
  return [...byGuide].map(([helpedByGuideId, count]) => ({
    count,
    ageBand: null,
    newlyArrived: null,
    helpedByGuideId,
  }));
}
/**
 * Walk-in groups in the order of the form's guides, those nobody took last, then by what the
 * group is (age band, newly arrived, how many): the same before and after a save.
 */
function inGuideOrder(groups: Anonymous[], guides: Form['guides']): Anonymous[] {
  const place = (id: string | null | undefined) => {
    const i = guides.findIndex((g) => g.guideId === id);
    return i < 0 ? guides.length : i;
  };
  const what = (a: Anonymous) => `${a.ageBand ?? '~'}|${String(a.newlyArrived)}|${String(a.count).padStart(4, '0')}`;
  return [...groups].sort(
    (a, b) => place(a.helpedByGuideId) - place(b.helpedByGuideId) || what(a).localeCompare(what(b)),
  );
}
type GuideTime = { guideId: string; worked: boolean; start: string; end: string; approved: boolean };

/** Where the form's data comes from and goes: the logged-in API, or the guide's signed link. */
export interface FormSource {
  load: () => Promise<Form>;
  save: (body: unknown, revision: number | null) => Promise<unknown>;
  searchSeniors: ((q: string) => Promise<{ id: string; displayName: string }[]>) | null;
  /** A coordinator may approve a worked time outside the café's time and its margin. */
  mayApprove?: boolean;
}

export const loggedInSource = (sessionId: string, municipalityId?: string, mayApprove = false): FormSource => ({
  mayApprove,
  load: () => api.get<Form>(`sessions/${sessionId}/report-form`),
  save: (body, revision) =>
    revision
      ? api.put(`sessions/${sessionId}/report`, { ...(body as object), revision })
      : api.post(`sessions/${sessionId}/report`, body),
  searchSeniors: municipalityId
    ? async (q) =>
        (
          await api.get<{ items: { id: string; displayName: string }[] }>(
            `seniors?municipalityId=${municipalityId}&q=${encodeURIComponent(q)}&limit=8`,
          )
        ).items
    : null,
});

export const guideSource = (sessionId: string, token: string): FormSource => {
  const tk = `token=${encodeURIComponent(token)}`;
  const call = async <T,>(method: string, path: string, body?: unknown) =>
    (await (await api.raw(method, `/api/v1/guide/${path}`, body, '')).json()) as T;
  return {
    load: () => call<Form>('GET', `sessions/${sessionId}/report-form?${tk}`),
    save: (body, revision) =>
      revision
        ? call('PUT', `sessions/${sessionId}/report?${tk}`, { ...(body as object), revision })
        : call('POST', `sessions/${sessionId}/report?${tk}`, body),
    searchSeniors: async (q) =>
      (await call<{ items: { id: string; displayName: string }[] }>('GET', `seniors?${tk}&q=${encodeURIComponent(q)}`))
        .items,
  };
};

/** The form's fields by the body's paths, to name one the API refused. */
const fieldLabels = () => ({
  came: t('whoCame'),
  walkIns: t('dropIn'),
  'walkIns.anonymous.*.count': t('count'),
  'walkIns.anonymous.*.ageBand': t('ageBand'),
  help: t('helpedWith'),
  'help.topicsByPlatform': w('byPlatform'),
  'help.topicsByPlatform.*': w('byPlatform'),
  helpedBy: w('whoHelped'),
  guides: t('guidesWorked'),
  'guides.*.start': t('started'),
  'guides.*.end': t('ended'),
  dayReport: t('dayReport'),
});

export function ReportFormPage({
  sessionId,
  source = loggedInSource(sessionId),
}: {
  sessionId: string;
  source?: FormSource;
}) {
  const loaded = useLoad(source.load, sessionId);
  // Kept here: the form starts afresh from each saved revision, the message stays.
  const [message, setMessage] = useState<Message>(null);
  return (
    <>
      <h1 tabIndex={-1}>{t('afterCafe')}</h1>
      <Status loaded={loaded}>
        {() => (
          <Filled
            key={loaded.data!.revision ?? 0}
            form={loaded.data!}
            source={source}
            reload={loaded.reload}
            message={message}
            setMessage={setMessage}
          />
        )}
      </Status>
    </>
  );
}

function Filled({
  form,
  source,
  reload,
  message,
  setMessage,
}: {
  form: Form;
  source: FormSource;
  reload: () => void;
  message: Message;
  setMessage: (m: Message) => void;
}) {
  const cur = form.current;
  // A new report starts from the café's queue, where anyone was in it.
  const queue = cur ? null : form.fromQueue;
  const [came, setCame] = useState<Set<string>>(new Set(cur?.came ?? queue?.came ?? []));
  const [helpedBy, setHelpedBy] = useState<Map<string, string>>(
    new Map((cur?.helpedBy ?? queue?.helpedBy ?? []).map((h) => [h.seniorId, h.guideId])),
  );
  const [returning, setReturning] = useState<{ id: string; displayName: string }[]>(
    cur?.walkIns.seniors.map((s) => ({ id: s.seniorId, displayName: s.displayName ?? w('walkInSenior') })) ?? [],
  );
  const [anonymous, setAnonymous] = useState<Anonymous[]>(
    inGuideOrder(
      cur?.walkIns.anonymous.map((a) => ({
        count: a.count,
        ageBand: a.ageBand,
        newlyArrived: a.newlyArrived,
        helpedByGuideId: a.helpedByGuideId,
      })) ?? (queue ? groupsFromQueue(queue.walkIns) : []),
      form.guides,
    ),
  );
  const [topics, setTopics] = useState<Record<string, number>>(cur?.help.topics ?? queue?.help.topics ?? {});
  const [platforms, setPlatforms] = useState<Record<string, number>>(
    cur?.help.platforms ?? queue?.help.platforms ?? {},
  );
  // Topics by platform: where there are rows, the topic and platform counts are their sums.
  const [cross, setCross] = useState<Cross[]>(
    (cur ? cur.help.topicsByPlatform : queue?.help.topicsByPlatform)?.map((c) => ({ ...c })) ?? [],
  );
  const crossRows = cross.filter((c) => c.count > 0);
  const fromCross = crossRows.length > 0;
  const sums = (pick: (c: Cross) => string) =>
    crossRows.reduce<Record<string, number>>((a, c) => ({ ...a, [pick(c)]: (a[pick(c)] ?? 0) + c.count }), {});
  const shownTopics = fromCross ? sums((c) => c.topic) : topics;
  const shownPlatforms = fromCross ? sums((c) => c.platform) : platforms;
  // Counts typed by hand (or saved before rows were asked) that the rows now replace: said, and kept to come back.
  const same = (a: Record<string, number>, b: Record<string, number>) =>
    JSON.stringify(Object.entries(nonZero(a)).sort()) === JSON.stringify(Object.entries(nonZero(b)).sort());
  const replacedCounts =
    fromCross && !(same(topics, shownTopics) && same(platforms, shownPlatforms))
      ? [
          ...TOPICS.filter((k) => topics[k] > 0).map((k) => `${topic(k)} ${topics[k]}`),
          ...PLATFORMS.filter((k) => platforms[k] > 0).map((k) => `${platform(k)} ${platforms[k]}`),
        ]
      : [];
  const guideName = (id: string | null | undefined) => form.guides.find((g) => g.guideId === id)?.name ?? '';
  const [guides, setGuides] = useState<GuideTime[]>(
    form.guides.map((g) => {
      const was = cur?.guides.find((x) => x.guideId === g.guideId);
      return {
        guideId: g.guideId,
        worked: was ? was.status === 'worked' : true,
        start: was?.start ?? form.startTime,
        end: was?.end ?? form.endTime,
        approved: false,
      };
    }),
  );
  const [dayReport, setDayReport] = useState(cur?.dayReport ?? '');
  // Local times of one day: as strings they compare as times do.
  const outside = (g: GuideTime) => g.worked && (g.start < form.earliest || g.end > form.latest);
  const limits = { a: form.earliest, b: form.latest };
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    const body = {
      came: [...came],
      walkIns: { seniorIds: returning.map((r) => r.id), anonymous: anonymous.filter((a) => a.count > 0) },
      help: {
        topics: nonZero(shownTopics),
        platforms: nonZero(shownPlatforms),
        // The same platform and topic on two rows count as one cell.
        ...(fromCross && {
          topicsByPlatform: Object.values(
            crossRows.reduce<Record<string, Cross>>((a, c) => {
              const key = `${c.platform}|${c.topic}`;
              a[key] = { ...c, count: (a[key]?.count ?? 0) + c.count };
              return a;
            }, {}),
          ),
        }),
      },
      guides: guides.map((g) =>
        g.worked
          ? { guideId: g.guideId, status: 'worked', start: g.start, end: g.end, approved: g.approved && outside(g) }
          : { guideId: g.guideId, status: 'no_show' },
      ),
      dayReport: dayReport.trim() || null,
      // Who helped whom, as chosen, for the seniors still listed as there.
      helpedBy: [...helpedBy]
        .filter(([id]) => came.has(id) || returning.some((r) => r.id === id))
        .map(([seniorId, guideId]) => ({ seniorId, guideId })),
    };
    try {
      await source.save(body, form.revision);
      setMessage({ kind: 'ok', text: t('saved') });
      reload();
    } catch (err) {
      if (err instanceof ApiError && (err.code === 'stale_revision' || err.code === 'already_reported')) {
        setMessage({ kind: 'error', text: t('staleRevision') });
        reload();
      } else setMessage({ kind: 'error', text: errorText(err, fieldLabels()) });
    } finally {
      setBusy(false);
    }
  };

  const helpSenior = (id: string) => (guideId: string | null) => {
    const next = new Map(helpedBy);
    if (guideId) next.set(id, guideId);
    else next.delete(id);
    setHelpedBy(next);
  };
  /** Everyone who came, each with the guide who helped: seniors with a seat, known walk-ins, walk-in groups. */
  const helped: { key: string; label: string; guideId: string | null; set: (g: string | null) => void }[] = [
    ...form.seated
      .filter((x) => came.has(x.seniorId))
      .map((x) => ({ id: x.seniorId, label: x.displayName ?? w('seatedSenior') })),
    ...returning.map((r) => ({ id: r.id, label: r.displayName })),
  ]
    .map(({ id, label }) => ({ key: id, label, guideId: helpedBy.get(id) ?? null, set: helpSenior(id) }))
    .concat(
      anonymous.flatMap((a, i) =>
        a.count > 0
          ? [
              {
                key: `group-${i}`,
                label: w('walkInsHelped', { n: a.count }),
                guideId: a.helpedByGuideId ?? null,
                set: (g: string | null) => setAnonymous(replace(anonymous, i, { ...a, helpedByGuideId: g })),
              },
            ]
          : [],
      ),
    );

  return (
    <form onSubmit={(e) => void submit(e)} class="stack report-form">
      <p class="lead">
        {day(form.localDate)} {form.startTime}–{form.endTime}
        <br />
        {form.venue}
      </p>
      {queue && <p class="notice ok">{w('fromQueue')}</p>}
      <fieldset>
        <legend>{t('whoCame')}</legend>
        {form.seated.length === 0 && <p class="muted">{t('noneSeated')}</p>}
        {form.seated.map((s) => (
          <label key={s.seniorId} class="check">
            <input
              type="checkbox"
              checked={came.has(s.seniorId)}
              onChange={(e) => setCame(toggled(came, s.seniorId, (e.target as HTMLInputElement).checked))}
            />
            {s.displayName ?? w('seatedSenior')}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('dropIn')}</legend>
        {source.searchSeniors && (
          <ReturningPicker chosen={returning} setChosen={setReturning} search={source.searchSeniors} />
        )}
        <h3>{t('anonymous')}</h3>
        {anonymous.map((a, i) => (
          <div class="row" key={i}>
            <label>
              {t('count')}{' '}
              <input
                type="number"
                min={1}
                max={100}
                value={a.count}
                size={3}
                onInput={(e) =>
                  setAnonymous(replace(anonymous, i, { ...a, count: Number((e.target as HTMLInputElement).value) }))
                }
              />
            </label>
            <label>
              {t('ageBand')}{' '}
              <select
                value={a.ageBand ?? ''}
                onChange={(e) =>
                  setAnonymous(replace(anonymous, i, { ...a, ageBand: (e.target as HTMLSelectElement).value || null }))
                }
              >
                <option value="">{t('unknown')}</option>
                {AGE_BANDS.map((b) => (
                  <option key={b} value={b}>
                    {ageBand(b)}
                  </option>
                ))}
              </select>
            </label>
            <label class="check">
              <input
                type="checkbox"
                checked={!!a.newlyArrived}
                onChange={(e) =>
                  setAnonymous(replace(anonymous, i, { ...a, newlyArrived: (e.target as HTMLInputElement).checked }))
                }
              />
              {t('newlyArrived')}
            </label>
            <button type="button" class="small" onClick={() => setAnonymous(anonymous.filter((_, j) => j !== i))}>
              {t('remove')}
            </button>
          </div>
        ))}
        <button
          type="button"
          onClick={() => setAnonymous([...anonymous, { count: 1, ageBand: null, newlyArrived: null }])}
        >
          + {t('addRow')}
        </button>
      </fieldset>
      {form.guides.length > 0 && helped.length > 0 && (
        <section aria-labelledby="who-helped">
          <h2 id="who-helped">{w('whoHelped')}</h2>
          <p class="muted">{w('whoHelpedHint')}</p>
          <ul class="plain helpers" id="who-helped-list">
            {helped.map((h) => (
              <li key={h.key}>
                <span id={`helper-name-${h.key}`}>{h.label}</span>: <span>{guideName(h.guideId) || w('noGuide')}</span>
                <select
                  id={`helper-${h.key}`}
                  aria-labelledby={`helper-name-${h.key}`}
                  value={h.guideId ?? ''}
                  onChange={(e) => h.set((e.target as HTMLSelectElement).value || null)}
                >
                  <option value="">{w('noGuide')}</option>
                  {form.guides.map((g) => (
                    <option key={g.guideId} value={g.guideId}>
                      {g.name}
                    </option>
                  ))}
                </select>
              </li>
            ))}
          </ul>
        </section>
      )}
      <fieldset>
        <legend>{t('helpedWith')}</legend>
        <div class="grid-counts">
          {TOPICS.map((k) => (
            <Counter
              key={k}
              label={topic(k)}
              value={shownTopics[k] ?? 0}
              readOnly={fromCross}
              set={(n) => setTopics({ ...topics, [k]: n })}
            />
          ))}
        </div>
        <h3>{t('platforms')}</h3>
        <div class="grid-counts">
          {PLATFORMS.map((k) => (
            <Counter
              key={k}
              label={platform(k)}
              value={shownPlatforms[k] ?? 0}
              readOnly={fromCross}
              set={(n) => setPlatforms({ ...platforms, [k]: n })}
            />
          ))}
        </div>
        {fromCross && <p class="muted">{w('fromRows')}</p>}
      </fieldset>
      <fieldset>
        <legend>{w('byPlatform')}</legend>
        <p class="muted">{w('byPlatformHint')}</p>
        <div aria-live="polite">
          {replacedCounts.length > 0 && (
            <p class="notice warn" id="cross-replaced">
              {w('replaced', { before: replacedCounts.join(', ') })}
            </p>
          )}
        </div>
        <ul class="plain cross-rows">
          {cross.map((c, i) => (
            <li key={i} class="row">
              <label>
                {w('device')}{' '}
                <select
                  value={c.platform}
                  onChange={(e) =>
                    setCross(replace(cross, i, { ...c, platform: (e.target as HTMLSelectElement).value }))
                  }
                >
                  {PLATFORMS.map((k) => (
                    <option key={k} value={k}>
                      {platform(k)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {w('subject')}{' '}
                <select
                  value={c.topic}
                  onChange={(e) => setCross(replace(cross, i, { ...c, topic: (e.target as HTMLSelectElement).value }))}
                >
                  {TOPICS.map((k) => (
                    <option key={k} value={k}>
                      {topic(k)}
                    </option>
                  ))}
                </select>
              </label>
              <Counter
                label={t('count')}
                value={c.count}
                set={(n) => setCross(replace(cross, i, { ...c, count: n }))}
              />
              <button
                type="button"
                class="small"
                aria-label={w('removeRow', { n: i + 1 })}
                onClick={() => setCross(cross.filter((_, j) => j !== i))}
              >
                {t('remove')}
              </button>
            </li>
          ))}
        </ul>
        <button
          type="button"
          onClick={() => setCross([...cross, { platform: PLATFORMS[0], topic: TOPICS[0], count: 1 }])}
        >
          + {t('addRow')}
        </button>
      </fieldset>
      <fieldset>
        <legend>{t('guidesWorked')}</legend>
        {guides.map((g, i) => {
          const name = form.guides.find((x) => x.guideId === g.guideId)?.name ?? '';
          return (
            <div class="guide-time" key={g.guideId}>
              <label class="check">
                <input
                  type="checkbox"
                  checked={g.worked}
                  onChange={(e) =>
                    setGuides(replace(guides, i, { ...g, worked: (e.target as HTMLInputElement).checked }))
                  }
                />
                {name}: {t('worked')}
              </label>
              {g.worked && (
                <span class="row">
                  <label>
                    {t('started')}{' '}
                    <input
                      type="time"
                      value={g.start}
                      required
                      onInput={(e) =>
                        setGuides(replace(guides, i, { ...g, start: (e.target as HTMLInputElement).value }))
                      }
                    />
                  </label>
                  <label>
                    {t('ended')}{' '}
                    <input
                      type="time"
                      value={g.end}
                      required
                      onInput={(e) =>
                        setGuides(replace(guides, i, { ...g, end: (e.target as HTMLInputElement).value }))
                      }
                    />
                  </label>
                </span>
              )}
              {outside(g) &&
                (source.mayApprove ? (
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={g.approved}
                      onChange={(e) =>
                        setGuides(replace(guides, i, { ...g, approved: (e.target as HTMLInputElement).checked }))
                      }
                    />
                    {t('approveTime', limits)}
                  </label>
                ) : (
                  <p class="notice warn">{t('outsideTime', limits)}</p>
                ))}
            </div>
          );
        })}
      </fieldset>
      <label>
        {t('dayReport')}
        <textarea
          rows={4}
          maxLength={2000}
          value={dayReport}
          onInput={(e) => setDayReport((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      <MessageLine message={message} />
      <button type="submit" class="primary big" disabled={busy}>
        {form.revision ? t('saveCorrection') : t('save')}
      </button>
    </form>
  );
}

function Counter({
  label,
  value,
  set,
  readOnly = false,
}: {
  label: string;
  value: number;
  set: (n: number) => void;
  readOnly?: boolean;
}) {
  return (
    <label class="counter">
      <span>{label}</span>
      <input
        type="number"
        min={0}
        max={500}
        inputMode="numeric"
        readOnly={readOnly}
        value={value}
        onInput={(e) => set(Math.max(0, Number((e.target as HTMLInputElement).value) || 0))}
      />
    </label>
  );
}

function ReturningPicker({
  chosen,
  setChosen,
  search,
}: {
  chosen: { id: string; displayName: string }[];
  setChosen: (c: { id: string; displayName: string }[]) => void;
  search: (q: string) => Promise<{ id: string; displayName: string }[]>;
}) {
  const [q, setQ] = useState('');
  const found = useLoad(async () => (q.trim().length < 2 ? [] : search(q.trim())), q);
  const ids = new Set(chosen.map((c) => c.id));
  return (
    <div class="stack">
      <h3>{t('returning')}</h3>
      <ul class="plain">
        {chosen.map((c) => (
          <li key={c.id}>
            {c.displayName}{' '}
            <button type="button" class="small" onClick={() => setChosen(chosen.filter((x) => x.id !== c.id))}>
              {t('remove')}
            </button>
          </li>
        ))}
      </ul>
      <label>
        {t('searchSenior')}
        <input type="search" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} autocomplete="off" />
      </label>
      {found.data && found.data.length > 0 && (
        <ul class="plain" aria-live="polite">
          {found.data
            .filter((f) => !ids.has(f.id))
            .map((f) => (
              <li key={f.id}>
                {f.displayName}{' '}
                <button
                  type="button"
                  class="small"
                  onClick={() => {
                    setChosen([...chosen, f]);
                    setQ('');
                  }}
                >
                  {t('addRow')}
                </button>
              </li>
            ))}
        </ul>
      )}
    </div>
  );
}

const nonZero = (c: Record<string, number>) => Object.fromEntries(Object.entries(c).filter(([, n]) => n > 0));
const toggled = (s: Set<string>, id: string, on: boolean) => {
  const next = new Set(s);
  if (on) next.add(id);
  else next.delete(id);
  return next;
};
const replace = <T,>(list: T[], i: number, item: T) => list.map((x, j) => (j === i ? item : x));
