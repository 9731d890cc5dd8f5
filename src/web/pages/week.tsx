/** The coordinator's week: sessions, seats, demand, guides and their answers; plan, swap, publish, sign seniors up. */
import type { z } from 'zod';
import { useState } from 'preact/hooks';
import type { WeekView } from '../../contract/week';
import type { Plan, Substitute } from '../../contract/matching';
import { api } from '../api';
import { shiftWeek, thisWeek, today, weekMonday } from '../dates';
import { day, explainAll, explainText, language, listed, platform, t } from '../i18n';
import { onLink } from '../router';
import { errorText, type Message, MessageLine, Status, useLoad } from '../ui';
import type { Ctx } from '../ctx';
import { CancelSessionForm, EditSessionForm, NewSessionForm, sessionWords } from './session-forms';

type Week = z.infer<typeof WeekView>;
type Sess = Week['sessions'][number];
type PlanT = z.infer<typeof Plan>;
type PlanSummary = Omit<PlanT, 'assignments'>;
type Candidate = z.infer<typeof Substitute>;

export function WeekPage({ ctx, week }: { ctx: Ctx; week: string }) {
  const m = ctx.municipalityId;
  const loaded = useLoad(() => api.get<Week>(`municipalities/${m}/weeks/${week}`), `${m}/${week}`);
  const guides = useLoad(
    async () =>
      ctx.planner
        ? (
            await api.get<{ items: { id: string; name: string; platforms: { platform: string }[] }[] }>(
              `guides?municipalityId=${m}&active=true&limit=200`,
            )
          ).items
        : [],
    m,
  );
  // The newest plan covering this week explains what is still short, also after a reload.
  const latest = useLoad(
    () => api.get<{ plan: PlanSummary | null }>(`municipalities/${m}/weeks/${week}/plan`),
    `${m}/${week}`,
  );
  // The plan just made counts at once: a quick Publish must not send the one before it.
  const [made, setMade] = useState<PlanSummary | null>(null);
  const plan = made ?? latest.data?.plan ?? null;
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  // Who the last publish mailed: named under its message, with the way to the mail.
  const [mailed, setMailed] = useState<string[]>([]);
  const [adding, setAdding] = useState(false);
  const names = new Map((guides.data ?? []).map((g) => [g.id, g.name]));
  const knows = new Map((guides.data ?? []).map((g) => [g.id, new Set(g.platforms.map((p) => p.platform))]));
  const refresh = () => loaded.reload();

  const runPlan = async (w: Week) => {
    setBusy(true);
    setMessage(null);
    try {
      const fresh = await api.post<PlanT>(`municipalities/${m}/plans`, { from: w.from, to: w.to });
      setMade(fresh);
      // Stopped by the time limit: the best plan found by then, and planning again may find a better one.
      setMessage({ kind: 'ok', text: t(fresh.stoppedEarly ? 'plannedStoppedEarly' : 'planned') });
      refresh();
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  const publish = async (w: Week) => {
    setBusy(true);
    setMessage(null);
    setMailed([]);
    try {
      // The plan reviewed, when it is this week's own draft: if someone planned or published meanwhile, the answer is 409.
      const reviewed =
        plan && plan.status === 'draft' && plan.startsOn === w.from && plan.endsOn === w.to ? { planId: plan.id } : {};
      const r = await api.post<{ published: number; guides: { name: string }[] }>(`municipalities/${m}/plans/publish`, {
        from: w.from,
        to: w.to,
        ...reviewed,
      });
      setMade(null);
      latest.reload();
      const said = ctx.session.user.mailSetUp === false ? 'publishedNoMail' : 'published';
      setMessage({ kind: 'ok', text: r.published ? t(said, { n: r.published }) : t('nothingToPublish') });
      setMailed(r.guides.map((g) => g.name));
      refresh();
    } catch (e) {
      setMade(null);
      latest.reload();
      setMessage({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  const [y, wk] = week.split('-W');
  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>
          {t('week')} {Number(wk)} <span class="muted">{y}</span>
        </h1>
        <div class="row">
          <a class="button" href={`/vecka/${shiftWeek(week, -1)}`} onClick={onLink}>
            ← <span class="on-desktop">{t('prevWeek')}</span>
            <span class="on-phone">{t('prevShort')}</span>
          </a>
          <a class="button" href={`/vecka/${thisWeek()}`} onClick={onLink}>
            <span class="on-desktop">{t('thisWeek')}</span>
            <span class="on-phone">{t('thisShort')}</span>
          </a>
          <a class="button" href={`/vecka/${shiftWeek(week, 1)}`} onClick={onLink}>
            <span class="on-desktop">{t('nextWeek')}</span>
            <span class="on-phone">{t('nextShort')}</span> →
          </a>
        </div>
      </div>
      <Status loaded={loaded}>
        {() => {
          const w = loaded.data!;
          const drafts = w.sessions.some((s) => s.guides.some((g) => g.status === 'draft'));
          return (
            <>
              <p class="muted">
                {day(w.from)} – {day(w.to)}
              </p>
              {ctx.planner && (
                <div class="actions card">
                  <button type="button" class="primary" disabled={busy} onClick={() => void runPlan(w)}>
                    {busy ? t('planning') : t('planWeek')}
                  </button>
                  <button
                    type="button"
                    class="primary"
                    disabled={busy || !drafts}
                    onClick={() => void publish(w)}
                    aria-describedby="publish-hint"
                  >
                    {t('publish')}
                  </button>
                  <span id="publish-hint" class="muted">
                    {t(ctx.session.user.mailSetUp === false ? 'publishHintNoMail' : 'publishHint')}
                  </span>
                </div>
              )}
              <MessageLine message={message} />
              <div aria-live="polite">
                {mailed.length > 0 && (
                  <p id="publish-mailed">
                    {t('mailTo', { names: listed(mailed) })}{' '}
                    <a href="/mejl" onClick={onLink}>
                      {t('seeMails')}
                    </a>
                  </p>
                )}
              </div>
              {!w.sessions.length && <EmptyWeek ctx={ctx} />}
              {ctx.planner && !adding && (
                <p>
                  <button type="button" id="add-session" onClick={() => setAdding(true)}>
                    {sessionWords('add')}
                  </button>
                </p>
              )}
              {adding && (
                <NewSessionForm
                  date={weekMonday(week) < w.from ? w.from : weekMonday(week)}
                  municipalityId={m}
                  onDone={(text) => {
                    setAdding(false);
                    if (text) setMessage({ kind: 'ok', text });
                    refresh();
                  }}
                />
              )}
              <ol class="sessions">
                {w.sessions.map((s) => (
                  <li key={s.id}>
                    <SessionCard s={s} ctx={ctx} plan={plan} names={names} knows={knows} onChange={refresh} />
                  </li>
                ))}
              </ol>
            </>
          );
        }}
      </Status>
    </>
  );
}

const counts = (c: Record<string, number>, name: (k: string) => string = (k) => k) =>
  Object.entries(c)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => (
      <span key={k} class="chip">
        {name(k)} <b>{n}</b>
      </span>
    ));

/** No café this week: what to make first, for a planner; plainly nothing, for the others. */
function EmptyWeek({ ctx }: { ctx: Ctx }) {
  const m = ctx.municipalityId;
  const first = useLoad(async () => {
    if (!ctx.planner) return { venues: 1, series: 1 };
    const [venues, series] = await Promise.all([
      api.get<{ total: number }>(`venues?municipalityId=${m}&active=true&limit=1`),
      api.get<{ total: number }>(`series?municipalityId=${m}&limit=1`),
    ]);
    return { venues: venues.total, series: series.total };
  }, m);
  if (first.data?.venues === 0)
    return (
      <div class="notice">
        <p>{t('startWithVenue')}</p>
        <a class="button primary" href="/lokaler" onClick={onLink}>
          {t('venues')}
        </a>
      </div>
    );
  if (first.data?.series === 0)
    return (
      <div class="notice">
        <p>{t('startWithCafe')}</p>
        <a class="button primary" href="/kafeer" onClick={onLink}>
          {t('cafes')}
        </a>
      </div>
    );
  return <p>{t('noSessions')}</p>;
}

function SessionCard({
  s,
  ctx,
  plan,
  names,
  knows,
  onChange,
}: {
  s: Sess;
  ctx: Ctx;
  plan: PlanSummary | null;
  names: Map<string, string>;
  knows: Map<string, Set<string>>;
  onChange: () => void;
}) {
  const [panel, setPanel] = useState<
    | { kind: 'swap'; assignmentId: string; guide: string }
    | { kind: 'add' }
    | { kind: 'register' }
    | { kind: 'edit' }
    | { kind: 'cancel' }
    | null
  >(null);
  const [message, setMessage] = useState<Message>(null);
  const [busy, setBusy] = useState(false);
  const cancelled = s.status === 'cancelled';
  const begun = new Date(s.startsAt) <= new Date();
  const over = new Date(s.endsAt) <= new Date();
  const shortBy = Math.max(0, s.minGuides - s.guides.length);
  const shortfall = plan?.shortfalls.find((f) => f.sessionId === s.id);
  // The platforms seniors bring that nobody on the café knows, now (after any swap, sign-up or
  // change), with the plan's reason where it has one for that platform.
  const uncovered =
    cancelled || over || knows.size === 0
      ? []
      : Object.entries(s.platformDemand)
          .filter(([p, n]) => n > 0 && !s.guides.some((g) => knows.get(g.guideId)?.has(p)))
          .map(([p, n]) => ({
            platform: p,
            seniors: n,
            reason: plan?.uncovered.find((u) => u.sessionId === s.id && u.platform === p)?.reason,
          }));
  // One change at a time (a double tap must not send two), then the card's heading gets the focus back.
  const act = async (work: () => Promise<unknown>, ok?: (result: unknown) => string) => {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    try {
      const result = await work();
      setPanel(null);
      if (ok) setMessage({ kind: 'ok', text: ok(result) });
      onChange();
      document.getElementById(headingId)?.focus();
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
      onChange();
    } finally {
      setBusy(false);
    }
  };
  const headingId = `s-${s.id}`;
  /** A form on the card is done: its words, if it saved, and the week again. */
  const done = (text: string | null) => {
    setPanel(null);
    if (text) {
      setMessage({ kind: 'ok', text });
      onChange();
    }
    document.getElementById(headingId)?.focus();
  };
  return (
    <article
      class={`card session${cancelled ? ' cancelled' : ''}${shortBy && !cancelled ? ' short' : ''}`}
      aria-labelledby={headingId}
      data-min-guides={s.minGuides}
    >
      <header>
        <h2 id={headingId} tabIndex={-1}>
          {day(s.localDate)} {s.startTime}–{s.endTime}
        </h2>
        <p class="venue">
          {s.venue.name}
          {s.theme ? ` · ${s.theme}` : ''}
        </p>
      </header>
      {cancelled ? (
        <>
          <p class="badge bad">
            {t('cancelled')}
            {s.cancelReason ? `: ${s.cancelReason}` : ''}
          </p>
          {ctx.planner && !begun && (
            <p>
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  void act(
                    () => api.post(`sessions/${s.id}/restore`),
                    () => sessionWords('restoredDone'),
                  )
                }
              >
                {sessionWords('restore')}
              </button>
            </p>
          )}
        </>
      ) : (
        <>
          <p>
            <b>{s.confirmed}</b> {t('seatsOf')} {s.seats} {t('seats')}
            {s.waitlisted > 0 && (
              <>
                {' '}
                · <b>{s.waitlisted}</b> {t('waiting')}
              </>
            )}
          </p>
          {Object.keys(s.platformDemand).length > 0 && (
            <p class="chips">
              <span class="label">{t('platforms')}:</span> {counts(s.platformDemand, platform)}
            </p>
          )}
          {Object.keys(s.languageDemand).length > 0 && (
            <p class="chips">
              <span class="label">{t('languages')}:</span> {counts(s.languageDemand, language)}
            </p>
          )}
          <h3>{t('guides')}</h3>
          {s.guides.length === 0 && <p class="muted">{t('noGuides')}</p>}
          <ul class="guides">
            {s.guides.map((g) => (
              <li key={g.assignmentId}>
                <span class="name">{g.name}</span>{' '}
                {g.status === 'draft' ? (
                  <span class="badge draft">{t('draft')}</span>
                ) : g.response === 'confirmed' ? (
                  <span class="badge ok">✓ {t('confirmedAns')}</span>
                ) : (
                  <span class="badge wait">{t('pendingAns')}</span>
                )}
                {g.pinned && !ctx.planner && <span class="badge">{t('pinned')}</span>}
                {g.conflict && (
                  <span class="conflict" role="note">
                    {t('cannotAnyMore', { n: g.name })} {explainAll(g.conflict)}
                  </span>
                )}
                {ctx.planner && !over && (
                  <span class="row">
                    <button
                      type="button"
                      class="toggle"
                      aria-pressed={g.pinned}
                      title={t('pinHint')}
                      disabled={busy}
                      onClick={() => void act(() => api.patch(`assignments/${g.assignmentId}`, { pinned: !g.pinned }))}
                      aria-label={`${t('pin')} ${g.name}`}
                    >
                      {t('pin')}
                    </button>
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() => setPanel({ kind: 'swap', assignmentId: g.assignmentId, guide: g.name })}
                      aria-label={`${t('swap')} ${g.name}`}
                    >
                      {t('swap')}
                    </button>
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() => {
                        if (confirm(t('sureRemove', { n: g.name })))
                          void act(() => api.del(`assignments/${g.assignmentId}`));
                      }}
                      aria-label={`${t('remove')} ${g.name}`}
                    >
                      {t('remove')}
                    </button>
                  </span>
                )}
              </li>
            ))}
          </ul>
          {s.openPlaces.map((o, i) => (
            <p key={i} class="notice warn">
              {o.asked.length
                ? t('openPlaceAsked', { g: o.guide, a: listed(o.asked) })
                : t('openPlaceNone', { g: o.guide })}
            </p>
          ))}
          {shortBy > 0 && (
            <div class="notice warn">
              <p>
                <b>{shortBy === 1 ? t('shortBy1') : t('shortBy', { n: shortBy })}</b>
              </p>
              {shortfall && (
                <ul>
                  {shortfall.reasons.map((r, i) => (
                    <li key={i}>{explainText(r)}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
          {uncovered.map((u) => (
            <p key={u.platform} class="notice warn">
              <b>{t('uncovered', { p: platform(u.platform) })}</b>{' '}
              {u.reason
                ? explainText(u.reason)
                : t(u.seniors === 1 ? 'seniorHas' : 'seniorsHave', { n: u.seniors, p: platform(u.platform) })}
            </p>
          ))}
          {ctx.planner && !over && (
            <div class="row">
              {s.guides.length < s.maxGuides && (
                <button type="button" onClick={() => setPanel({ kind: 'add' })}>
                  {t('addGuide')}
                </button>
              )}
              <button type="button" onClick={() => setPanel({ kind: 'register' })}>
                {t('register')}
              </button>
              {!begun && (
                <>
                  <button type="button" id={`open-edit-${s.id}`} onClick={() => setPanel({ kind: 'edit' })}>
                    {sessionWords('edit')}
                  </button>
                  <button type="button" id={`open-cancel-${s.id}`} onClick={() => setPanel({ kind: 'cancel' })}>
                    {sessionWords('cancel')}
                  </button>
                </>
              )}
            </div>
          )}
          {ctx.planner && s.registrations.length > 0 && <Registrations s={s} act={act} />}
          {!cancelled && s.localDate === today() && ctx.session.user.role !== 'viewer' && (
            <p>
              <a class="button" href={`/ko/${s.id}`} onClick={onLink}>
                {t('queueAtCafe')}
              </a>
            </p>
          )}
          {begun && ctx.session.user.role !== 'viewer' && (
            <p>
              <a class="button" href={`/efter-cafeet/${s.id}`} onClick={onLink}>
                {t('afterCafe')}
              </a>
            </p>
          )}
        </>
      )}
      {ctx.planner && (cancelled || s.guides.some((g) => g.status === 'published')) && (
        <p>
          <a href={`/mejl?cafe=${s.id}`} onClick={onLink}>
            {t('mailsAboutCafe')}
          </a>
        </p>
      )}
      <MessageLine message={message} />
      {panel?.kind === 'swap' && (
        <Candidates
          title={`${t('swap')}: ${panel.guide}`}
          names={names}
          busy={busy}
          load={() => api.get<{ items: Candidate[] }>(`assignments/${panel.assignmentId}/substitutes`)}
          onChoose={(guideId) => act(() => api.post(`assignments/${panel.assignmentId}/swap`, { guideId }))}
          onClose={() => setPanel(null)}
        />
      )}
      {panel?.kind === 'add' && (
        <Candidates
          title={t('addGuide')}
          names={names}
          busy={busy}
          load={() => api.get<{ items: Candidate[] }>(`sessions/${s.id}/candidates`)}
          onChoose={(guideId) => act(() => api.post(`sessions/${s.id}/assignments`, { guideId }))}
          onClose={() => setPanel(null)}
        />
      )}
      {panel?.kind === 'register' && <RegisterPanel s={s} ctx={ctx} act={act} onClose={() => setPanel(null)} />}
      {(panel?.kind === 'edit' || panel?.kind === 'cancel') && (
        <div>
          {panel.kind === 'edit' ? (
            <EditSessionForm
              key={s.version}
              s={s}
              municipalityId={ctx.municipalityId}
              onDone={done}
              onReload={onChange}
            />
          ) : (
            <CancelSessionForm s={s} onDone={done} />
          )}
        </div>
      )}
    </article>
  );
}

type Act = (w: () => Promise<unknown>, ok?: (result: unknown) => string) => Promise<void>;

function Registrations({ s, act }: { s: Sess; act: Act }) {
  const waiting = s.registrations.filter((r) => r.status === 'waitlisted');
  // Who helps whom at the café: the guide paired with each senior with a seat, and why.
  const pairOf = new Map(s.pairs.map((p) => [p.seniorId, p]));
  const guideName = new Map(s.guides.map((g) => [g.guideId, g.name]));
  return (
    <details>
      <summary>
        {t('seniors')} ({s.registrations.length})
      </summary>
      <ul class="plain">
        {s.registrations.map((r) => (
          <li key={r.id}>
            {r.displayName} <span class="muted">{r.devices.map((d) => platform(d.platform)).join(', ')}</span>{' '}
            {r.status === 'waitlisted' && <span class="badge wait">{t('waitlisted')}</span>}{' '}
            {r.status === 'confirmed' && pairOf.get(r.seniorId)?.guideId && (
              <span class="pair">
                {t('helpedBy', { n: guideName.get(pairOf.get(r.seniorId)!.guideId!) ?? '' })}{' '}
                <span class="muted">{explainAll(pairOf.get(r.seniorId)!.reasons)}</span>{' '}
              </span>
            )}
            <button
              type="button"
              class="small"
              onClick={() => {
                if (confirm(t('sureCancelReg', { n: r.displayName })))
                  void act(() => api.post(`registrations/${r.id}/cancel`));
              }}
              aria-label={`${t('cancelReg')} ${r.displayName}`}
            >
              {t('cancelReg')}
            </button>
          </li>
        ))}
      </ul>
      {waiting.length > 0 && (
        <button
          type="button"
          onClick={() => void act(() => api.patch(`sessions/${s.id}`, { seats: s.seats + 1, version: s.version }))}
        >
          {t('addSeat')} ({waiting[0].displayName})
        </button>
      )}
    </details>
  );
}

/** The engine's ranking: who can come, best first; the others with what keeps them out. */
function Candidates({
  title,
  names,
  busy,
  load,
  onChoose,
  onClose,
}: {
  title: string;
  names: Map<string, string>;
  busy: boolean;
  load: () => Promise<{ items: Candidate[] }>;
  onChoose: (guideId: string) => Promise<void>;
  onClose: () => void;
}) {
  const loaded = useLoad(load, title);
  return (
    <section class="panel" aria-label={title}>
      <div class="row between">
        <h3>{title}</h3>
        <button type="button" onClick={onClose}>
          {t('close')}
        </button>
      </div>
      <p class="muted">{t('candidatesTitle')}</p>
      <Status loaded={loaded}>
        {() => (
          <ol class="candidates">
            {loaded.data!.items.slice(0, 12).map((c) => (
              <li key={c.guideId} class={c.gain === null ? 'blocked' : ''}>
                <span class="name">{names.get(c.guideId) ?? c.guideId}</span>
                {c.gain === null ? (
                  <span class="muted">
                    {' '}
                    {t('blocked')} {explainAll(c.blockedBy)}
                  </span>
                ) : (
                  <>
                    {c.why.length > 0 && <span class="why"> {explainAll(c.why)}</span>}
                    <button
                      type="button"
                      class="primary small"
                      disabled={busy}
                      onClick={() => void onChoose(c.guideId)}
                      aria-label={`${t('choose')} ${names.get(c.guideId) ?? ''}`}
                    >
                      {t('choose')}
                    </button>
                  </>
                )}
              </li>
            ))}
          </ol>
        )}
      </Status>
    </section>
  );
}

function RegisterPanel({ s, ctx, act, onClose }: { s: Sess; ctx: Ctx; act: Act; onClose: () => void }) {
  const [q, setQ] = useState('');
  const found = useLoad(
    async () =>
      q.trim().length < 2
        ? []
        : (
            await api.get<{ items: { id: string; displayName: string; phone: string | null }[] }>(
              `seniors?municipalityId=${ctx.municipalityId}&q=${encodeURIComponent(q.trim())}&limit=8`,
            )
          ).items,
    q,
  );
  const taken = new Set(s.registrations.map((r) => r.seniorId));
  const id = `q-${s.id}`;
  return (
    <section class="panel" aria-label={t('register')}>
      <div class="row between">
        <h3>{t('register')}</h3>
        <button type="button" onClick={onClose}>
          {t('close')}
        </button>
      </div>
      <label for={id}>{t('searchSenior')}</label>
      <input
        id={id}
        type="search"
        value={q}
        autoFocus
        onInput={(e) => setQ((e.target as HTMLInputElement).value)}
        autocomplete="off"
      />
      {q.trim().length >= 2 &&
        found.data &&
        (found.data.length ? (
          <ul class="plain" aria-live="polite">
            {found.data.map((x) => (
              <li key={x.id}>
                {x.displayName} <span class="muted">{x.phone ?? ''}</span>{' '}
                {taken.has(x.id) ? (
                  <span class="badge ok">{t('signedUp')}</span>
                ) : (
                  <button
                    type="button"
                    class="primary small"
                    onClick={() =>
                      void act(
                        () => api.post(`sessions/${s.id}/registrations`, { seniorId: x.id }),
                        (r) => {
                          const res = r as Registered;
                          const seat = t(res.status === 'waitlisted' ? 'gotWaitlisted' : 'gotSeat', {
                            n: x.displayName,
                          });
                          return [seat, ...(res.uncovered ?? []).map(uncoveredText)].join(' ');
                        },
                      )
                    }
                    aria-label={`${t('signUp')} ${x.displayName}`}
                  >
                    {t('signUp')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p aria-live="polite">{t('noMatch')}</p>
        ))}
    </section>
  );
}

interface Registered {
  status: string;
  uncovered?: { platform: string; couldCome: { name: string }[] }[];
}

/** A platform the senior brings that no guide on the café knows, and who could come for it. */
const uncoveredText = (u: { platform: string; couldCome: { name: string }[] }) =>
  `${t('noGuideKnows', { platform: platform(u.platform) })} ${
    u.couldCome.length ? t('couldCome', { names: listed(u.couldCome.map((c) => c.name)) }) : t('nobodyCould')
  }`;
