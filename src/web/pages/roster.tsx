/**
 * The roster (Personal): guides with what they know, when they can work and their hours, each
 * with a page to change them; seniors for those who plan; lists in and out as files.
 */
import type { z } from 'zod';
import { useState } from 'preact/hooks';
import type { GuideHours } from '../../contract/people';
import type { Venue } from '../../contract/venues';
import { PLATFORMS, TOPICS } from '../../contract/vocabulary';
import { api } from '../api';
import type { Ctx } from '../ctx';
import { month as monthOf, today } from '../dates';
import { day, dayInText, defineWords, hours, lang, language, monthName, platform, t, topic } from '../i18n';
import { onLink } from '../router';
import { errorText, type Message, MessageLine, Status, Table, useLoad } from '../ui';
import { AbsenceForm, AvailabilityEditor, type G, GuideForm, guideWords } from './guide-forms';
import { ImportPanel } from './imports';
import { SeniorPage, SeniorsList } from './seniors';

const w = defineWords({
  tabs: ['Delar av sidan', 'Parts of the page'],
  importTab: ['Importera och exportera', 'Import and export'],
  filters: ['Visa guider', 'Show guides'],
  anyPlatform: ['Alla enheter', 'All devices'],
  anyLanguage: ['Alla språk', 'All languages'],
  anyVenue: ['Alla lokaler', 'All venues'],
  anyTopic: ['Allt', 'Everything'],
  venue: ['Har jobbat i', 'Has worked at'],
  status: ['Vilka', 'Which'],
  active: ['Guider som jobbar nu', 'Guides working now'],
  inactive: ['Guider som har slutat', 'Guides who have left'],
  none: [
    'Inga guider passar. Ändra det du visar, eller lägg till en guide.',
    'No guides fit. Change what you show, or add a guide.',
  ],
  first: [
    'Det finns inga guider än. Lägg till en guide, eller importera listan från en fil.',
    'There are no guides yet. Add a guide, or import the list from a file.',
  ],
  open: ['Visa {n}', 'Show {n}'],
  count1: ['1 guide', '1 guide'],
  countN: ['{n} guider', '{n} guides'],
  toList: ['Alla guider', 'All guides'],
  details: ['Uppgifter', 'Details'],
  editDetails: ['Ändra uppgifter', 'Change details'],
  editTimes: ['Ändra tider', 'Change times'],
  cannotWork: ['Kan inte jobba', 'Cannot work'],
  noTimes: ['Inga tider än.', 'No times yet.'],
  absences: ['Dagar guiden inte kan jobba', 'Days the guide cannot work'],
  noAbsences: ['Inga dagar.', 'No days.'],
  takeBack: ['Ta bort {d}', 'Remove {d}'],
  removed: ['{d} är borttagen. Guiden kan jobba då igen.', '{d} is removed. The guide can work then again.'],
  left: ['Har slutat', 'Has left'],
  endsOn: ['Sista dag: {d}', 'Last day: {d}'],
  reactivate: ['Guiden kommer tillbaka', 'The guide comes back'],
  deactivate: ['Guiden har slutat', 'The guide has left'],
  sureDeactivate: [
    'Vi planerar inte {n} igen. Pass från i dag går till andra guider.',
    'We will not plan {n} again. Sessions from today go to other guides.',
  ],
  yesDeactivate: ['Ja, guiden har slutat', 'Yes, the guide has left'],
  deactivated: [
    '{n} har slutat. Vi frågar andra guider om passen.',
    '{n} has left. We ask other guides about the sessions.',
  ],
  reactivated: ['{n} kan planeras igen.', '{n} can be planned again.'],
  level: ['nivå {l}', 'level {l}'],
  maxHours: ['Högst {h} timmar i veckan', 'At most {h} hours a week'],
  startDate: ['Guide sedan {d}', 'Guide since {d}'],
  helps: ['Kan hjälpa med', 'Can help with'],
});

/** The weekly windows that hold on a date: the latest-starting period that covers it. */
function windowsOn(availability: G['availability'], date: string) {
  const covering = availability.filter(
    (a) => (!a.validFrom || a.validFrom <= date) && (!a.validTo || date <= a.validTo),
  );
  const latest = covering.reduce<string | null>(
    (m, a) => (a.validFrom && (!m || a.validFrom > m) ? a.validFrom : m),
    null,
  );
  return covering.filter((a) => (a.validFrom ?? null) === latest);
}
const DAYS: Record<string, [string, string]> = {
  mon: ['mån', 'Mon'],
  tue: ['tis', 'Tue'],
  wed: ['ons', 'Wed'],
  thu: ['tor', 'Thu'],
  fri: ['fre', 'Fri'],
  sat: ['lör', 'Sat'],
  sun: ['sön', 'Sun'],
};
const windowText = (a: { weekday: string; start: string; end: string }) =>
  `${DAYS[a.weekday][lang() === 'sv' ? 0 : 1]} ${a.start}–${a.end}`;

/** `parts`: the path after /personal (`seniorer`, `senior/<id>`, `guide/<id>`, `importera`). */
export function RosterPage({ ctx, parts }: { ctx: Ctx; parts: string[] }) {
  const [sub, id] = parts;
  const tab = sub === 'seniorer' || sub === 'senior' ? 'seniors' : sub === 'importera' ? 'import' : 'guides';
  const tabs: [string, string, string][] = [
    ['guides', '/personal', t('guides')],
    ...(ctx.planner ? [['seniors', '/personal/seniorer', t('seniors')] as [string, string, string]] : []),
    ['import', '/personal/importera', w('importTab')],
  ];
  const [changed, setChanged] = useState(0);
  return (
    <>
      <h1 tabIndex={-1}>{ctx.planner ? t('roster') : t('guides')}</h1>
      <nav class="tabs" aria-label={w('tabs')}>
        {tabs.map(([key, href, label]) => (
          <a key={key} class="button" href={href} onClick={onLink} aria-current={tab === key ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      {sub === 'guide' && id ? (
        <GuideView key={id} ctx={ctx} id={id} />
      ) : sub === 'senior' && id && ctx.planner ? (
        <SeniorPage key={id} ctx={ctx} id={id} />
      ) : tab === 'seniors' && ctx.planner ? (
        <SeniorsList ctx={ctx} />
      ) : tab === 'import' ? (
        <ImportPanel ctx={ctx} onImported={() => setChanged((n) => n + 1)} />
      ) : (
        <Guides key={changed} ctx={ctx} />
      )}
    </>
  );
}

interface Filter {
  platform: string;
  language: string;
  venueId: string;
  topic: string;
  active: 'true' | 'false';
}

function Guides({ ctx }: { ctx: Ctx }) {
  const month = monthOf(today());
  const m = ctx.municipalityId;
  const [filter, setFilter] = useState<Filter>({ platform: '', language: '', venueId: '', topic: '', active: 'true' });
  const [adding, setAdding] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const query = (Object.entries(filter) as [string, string][])
    .filter(([, v]) => v)
    .map(([k, v]) => `&${k}=${encodeURIComponent(v)}`)
    .join('');
  const loaded = useLoad(async () => {
    const [guides, h] = await Promise.all([
      api.get<{ items: G[]; total: number }>(`guides?municipalityId=${m}&limit=200${query}`),
      api.get<z.infer<typeof GuideHours>>(`municipalities/${m}/guide-hours?month=${month}`),
    ]);
    return { guides: guides.items, hours: new Map(h.items.map((x) => [x.guideId, x])) };
  }, `${m}${query}`);
  // What the filters offer: the venues, and the languages the guides speak.
  const context = useLoad(async () => {
    const [venues, guides, associations] = await Promise.all([
      api.get<{ items: z.infer<typeof Venue>[] }>(`venues?municipalityId=${m}&limit=500`),
      api.get<{ items: G[] }>(`guides?municipalityId=${m}&limit=200`),
      api.get<{ items: { id: string; name: string }[] }>('associations?limit=200'),
    ]);
    const languages = [...new Set(guides.items.flatMap((g) => g.languages.map((l) => l.language)))].sort();
    return { venues: venues.items, languages, associations: associations.items };
  }, m);
  const set = (key: keyof Filter, value: string) => setFilter((f) => ({ ...f, [key]: value }));
  const select = (key: keyof Filter, label: string, options: { value: string; label: string }[]) => (
    <label>
      {label}
      <select value={filter[key]} onChange={(e) => set(key, e.currentTarget.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <section class="stack" aria-labelledby="guides-title">
      <div class="page-head">
        <h2 id="guides-title">{t('guides')}</h2>
        {!adding && (
          <button type="button" class="primary" id="add-guide" onClick={() => setAdding(true)}>
            {guideWords('add')}
          </button>
        )}
      </div>
      <MessageLine message={message} />
      {adding && context.data && (
        <GuideForm
          guide={null}
          municipalityId={m}
          associations={context.data.associations}
          onDone={(name) => {
            setAdding(false);
            if (name) setMessage({ kind: 'ok', text: guideWords('saved', { n: name }) });
            loaded.reload();
            context.reload();
          }}
          onReload={loaded.reload}
        />
      )}
      <fieldset class="filters">
        <legend>{w('filters')}</legend>
        <div class="grid2">
          {select('active', w('status'), [
            { value: 'true', label: w('active') },
            { value: 'false', label: w('inactive') },
          ])}
          {select('platform', t('platforms'), [
            { value: '', label: w('anyPlatform') },
            ...PLATFORMS.map((p) => ({ value: p, label: platform(p) })),
          ])}
          {select('language', t('languages'), [
            { value: '', label: w('anyLanguage') },
            ...(context.data?.languages ?? []).map((l) => ({ value: l, label: language(l) })),
          ])}
          {select('topic', w('helps'), [
            { value: '', label: w('anyTopic') },
            ...TOPICS.map((x) => ({ value: x, label: topic(x) })),
          ])}
          {select('venueId', w('venue'), [
            { value: '', label: w('anyVenue') },
            ...(context.data?.venues ?? []).map((v) => ({ value: v.id, label: v.name })),
          ])}
        </div>
      </fieldset>
      <Status loaded={loaded}>
        {() => {
          const guides = loaded.data!.guides;
          if (guides.length === 0) return <p>{query === '&active=true' ? w('first') : w('none')}</p>;
          return (
            <Table
              caption={`${guides.length === 1 ? w('count1') : w('countN', { n: guides.length })} · ${t('hoursMonth', { m: monthName(month) })}`}
              columns={[
                t('name'),
                t('platforms'),
                t('languages'),
                t('availability'),
                t('hoursMonth', { m: monthName(month) }),
              ]}
              rows={guides.map((g) => {
                const h = loaded.data!.hours.get(g.id);
                return {
                  key: g.id,
                  cells: [
                    <a href={`/personal/guide/${g.id}`} onClick={onLink}>
                      {g.name}
                    </a>,
                    g.platforms.map((p) => platform(p.platform)).join(', '),
                    ['sv', ...g.languages.map((x) => x.language)].map(language).join(', '),
                    windowsOn(g.availability, today()).map(windowText).join(', '),
                    <>
                      {hours(h?.plannedMinutes ?? 0)} {t('plannedH')} · {hours(h?.workedMinutes ?? 0)} {t('workedH')}
                      <br />
                      <span class={(h?.peakWeekMinutes ?? 0) > g.maxHoursPerWeek * 60 ? 'badge bad' : 'muted'}>
                        {t('peakWeek', { h: hours(h?.peakWeekMinutes ?? 0), max: g.maxHoursPerWeek })}
                      </span>
                    </>,
                  ],
                };
              })}
            />
          );
        }}
      </Status>
    </section>
  );
}

type Open = 'details' | 'times' | 'absence' | 'leave' | null;

/** One guide: what they know, their times and the days they cannot work, each to change. */
function GuideView({ ctx, id }: { ctx: Ctx; id: string }) {
  const loaded = useLoad(async () => {
    const [guide, associations] = await Promise.all([
      api.get<G>(`guides/${id}`),
      api.get<{ items: { id: string; name: string }[] }>('associations?limit=200'),
    ]);
    return { guide, associations: associations.items };
  }, id);
  const [open, setOpen] = useState<Open>(null);
  const [message, setMessage] = useState<Message>(null);
  const [link, setLink] = useState<{ url: string; days: number } | null>(null);
  const close = (text: string | null) => {
    setOpen(null);
    if (text) setMessage({ kind: 'ok', text });
    loaded.reload();
  };
  const act = async (work: () => Promise<unknown>, done: string) => {
    setMessage(null);
    try {
      await work();
      close(done);
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    }
  };
  const makeLink = async () => {
    try {
      const r = await api.post<{ url: string; expiresAt: string }>(`guides/${id}/links`, { purpose: 'access' });
      setLink({ url: r.url, days: Math.round((Date.parse(r.expiresAt) - Date.now()) / 86_400_000) });
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    }
  };
  const button = (key: Exclude<Open, null>, label: string) => (
    <button
      type="button"
      id={`open-${key}`}
      aria-expanded={open === key}
      onClick={() => setOpen(open === key ? null : key)}
    >
      {label}
    </button>
  );
  return (
    <Status loaded={loaded}>
      {() => {
        const g = loaded.data!.guide;
        const windows = windowsOn(g.availability, today());
        const coming = g.unavailableDates.filter((d) => d.date >= today());
        return (
          <section class="stack" aria-labelledby="guide-name">
            <p>
              <a href="/personal" onClick={onLink}>
                ← {w('toList')}
              </a>
            </p>
            <div class="card stack">
              <h2 id="guide-name">
                {g.name} {!g.active && <span class="badge">{w('left')}</span>}
              </h2>
              <p>
                {g.email}
                {g.phone && (
                  <>
                    <br />
                    {g.phone}
                  </>
                )}
              </p>
              <p>
                {g.platforms.map((p) => platform(p.platform)).join(', ')}
                <br />
                {['sv', ...g.languages.map((x) => x.language)].map(language).join(', ')}
                {g.topics.length > 0 && (
                  <>
                    <br />
                    {w('helps')}: {g.topics.map(topic).join(', ')}
                  </>
                )}
              </p>
              <p class="muted">
                {w('maxHours', { h: String(g.maxHoursPerWeek).replace('.', ',') })} ·{' '}
                {w('startDate', { d: dayInText(g.startDate) })}
                {g.endDate && <> · {w('endsOn', { d: dayInText(g.endDate) })}</>}
              </p>
              <p>
                <b>{t('availability')}:</b> {windows.length ? windows.map(windowText).join(', ') : w('noTimes')}
              </p>
              {ctx.planner && (
                <p>
                  <a href={`/mejl?guide=${g.id}`} onClick={onLink}>
                    {t('mailsToGuide')}
                  </a>
                </p>
              )}
              <div class="row">
                {button('details', w('editDetails'))}
                {button('times', w('editTimes'))}
                {g.active && button('absence', w('cannotWork'))}
                {g.active ? (
                  button('leave', w('deactivate'))
                ) : (
                  <button
                    type="button"
                    onClick={() =>
                      void act(
                        () => api.patch(`guides/${id}`, { active: true, version: g.version }),
                        w('reactivated', { n: g.name }),
                      )
                    }
                  >
                    {w('reactivate')}
                  </button>
                )}
              </div>
            </div>
            <MessageLine message={message} />
            {open === 'details' && (
              <GuideForm
                key={g.version}
                guide={g}
                municipalityId={ctx.municipalityId}
                associations={loaded.data!.associations}
                onDone={(name, keptFrom) =>
                  close(
                    name &&
                      [
                        guideWords('saved', { n: name }),
                        keptFrom ? guideWords(keptFrom === 1 ? 'keptFrom1' : 'keptFrom', { n: name, k: keptFrom }) : '',
                      ]
                        .join(' ')
                        .trim(),
                  )
                }
                onReload={loaded.reload}
              />
            )}
            {open === 'times' && (
              <AvailabilityEditor
                key={g.version}
                name={g.name}
                availability={g.availability}
                save={(period, windows) => api.put(`guides/${id}/availability`, { ...period, windows })}
                onSaved={close}
              />
            )}
            {open === 'absence' && (
              <AbsenceForm
                name={g.name}
                path={(preview) => `guides/${id}/absences${preview ? '/preview' : ''}`}
                onDone={close}
              />
            )}
            {open === 'leave' && (
              <div class="notice warn stack" role="group" aria-labelledby="leave-text">
                <p id="leave-text">{w('sureDeactivate', { n: g.name })}</p>
                <div class="row">
                  <button
                    type="button"
                    class="danger"
                    onClick={() =>
                      void act(
                        () => api.patch(`guides/${id}`, { active: false, version: g.version }),
                        w('deactivated', { n: g.name }),
                      )
                    }
                  >
                    {w('yesDeactivate')}
                  </button>
                  <button type="button" onClick={() => setOpen(null)}>
                    {t('back')}
                  </button>
                </div>
              </div>
            )}
            <section class="card stack" aria-labelledby="absences-title">
              <h2 id="absences-title">{w('absences')}</h2>
              {coming.length === 0 ? (
                <p>{w('noAbsences')}</p>
              ) : (
                <ul class="plain">
                  {coming.map((d) => (
                    <li key={d.date} class="row between">
                      <span>
                        {day(d.date)}
                        {d.reason && <span class="muted"> · {d.reason}</span>}
                      </span>
                      <button
                        type="button"
                        class="small"
                        onClick={() =>
                          void act(() => api.del(`guides/${id}/absences/${d.date}`), w('removed', { d: day(d.date) }))
                        }
                      >
                        {w('takeBack', { d: dayInText(d.date) })}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section class="card stack" aria-labelledby="link-title">
              <h2 id="link-title">{t('guideLink')}</h2>
              {link ? (
                <>
                  <p class="muted">{t('linkMade', { d: link.days })}</p>
                  <input
                    readOnly
                    value={link.url}
                    aria-label={`${t('guideLink')}: ${g.name}`}
                    onFocus={(e) => e.currentTarget.select()}
                  />
                </>
              ) : (
                <p>
                  <button type="button" onClick={() => void makeLink()}>
                    {t('guideLink')}
                  </button>
                </p>
              )}
            </section>
          </section>
        );
      }}
    </Status>
  );
}
