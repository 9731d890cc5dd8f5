import './app.css';
import { type ComponentChildren, render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, login, logout, type Session, session as stored, whenLoggedOut } from './api';
import { Status, textField, useLoad } from './ui';
import { lang, setLang, t, waitTime } from './i18n';
import { navigate, onLink, usePath } from './router';
import { thisWeek } from './dates';
import { WeekPage } from './pages/week';
import { TermPage } from './pages/term';
import { ReportsPage } from './pages/reports';
import { loggedInSource, ReportFormPage } from './pages/report-form';
import { GuidePage } from './pages/guide';
import type { Ctx } from './ctx';

/**
 * The pages used now and then (setting up, accounts, venues and cafés) load when first opened,
 * so the daily pages and a guide's phone fetch only what they show.
 */
function Lazy<M>({
  name,
  load,
  render,
}: {
  name: string;
  load: () => Promise<M>;
  render: (m: M) => ComponentChildren;
}) {
  const loaded = useLoad(load, name);
  // The page's heading takes the focus once it is drawn, as it does for the pages loaded at once.
  useEffect(() => {
    if (loaded.data) requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
  }, [loaded.data]);
  return <Status loaded={loaded}>{() => render(loaded.data!)}</Status>;
}
const accountPages = () => import('./pages/account');
const queuePage = () => import('./pages/queue');

const PLANNER_ROLES = ['admin', 'coordinator'];
const ROSTER_ROLES = ['admin', 'coordinator', 'association_staff'];

function Login({ onIn }: { onIn: (s: Session) => void }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    setError('');
    try {
      onIn(await login(textField(form, 'email'), textField(form, 'password')));
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 429
          ? t('loginWait', { time: waitTime(err.retryAfter) })
          : err instanceof ApiError && (err.status === 401 || err.status === 400)
            ? t('badLogin')
            : t('failed'),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="narrow">
      <h1>{t('loginTitle')}</h1>
      <form onSubmit={(e) => void submit(e)} class="card stack">
        <label>
          {t('email')}
          <input name="email" type="email" autocomplete="username" required />
        </label>
        <label>
          {t('password')}
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        {error && (
          <p class="notice error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t('login')}
        </button>
        <p>
          <a href="/glomt-losenord" onClick={onLink}>
            {t('forgot')}
          </a>
        </p>
      </form>
    </main>
  );
}

/** The menu shows what the role may use; with no municipality yet, an admin sees the way to set one up. */
function Nav({ s, path, hasMunicipality }: { s: Session; path: string; hasMunicipality: boolean }) {
  const role = s.user.role;
  const links: [string, string][] = [];
  if (hasMunicipality) {
    links.push(['/vecka', t('week')]);
    if (PLANNER_ROLES.includes(role))
      links.push(['/termin', t('term')], ['/kafeer', t('cafes')], ['/lokaler', t('venues')]);
    // Guides and seniors for a planner; the association's staff see its guides only.
    if (ROSTER_ROLES.includes(role))
      links.push(['/personal', PLANNER_ROLES.includes(role) ? t('roster') : t('guides')]);
    links.push(['/rapporter', t('reports')]);
    if (PLANNER_ROLES.includes(role)) links.push(['/mejl', t('outbox')]);
  }
  if (role === 'admin') {
    if (!hasMunicipality) links.push(['/kom-igang', t('setup')]);
    links.push(['/organisationer', t('organisations')], ['/anvandare', t('users')]);
  }
  links.push(['/konto', t('account')]);
  return (
    <nav aria-label={t('appName')}>
      <ul>
        {links.map(([href, label]) => (
          <li key={href}>
            <a
              href={href}
              onClick={onLink}
              aria-current={path.startsWith(href) || (href === '/vecka' && path === '/') ? 'page' : undefined}
            >
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function LangToggle({ onChange }: { onChange: () => void }) {
  return (
    <button
      type="button"
      class="lang"
      lang={lang() === 'sv' ? 'en' : 'sv'}
      onClick={() => {
        setLang(lang() === 'sv' ? 'en' : 'sv');
        onChange();
      }}
    >
      {t('otherLang')}
    </button>
  );
}

function LoggedIn({
  s,
  path,
  onOut,
  toggle,
}: {
  s: Session;
  path: string;
  onOut: () => void;
  toggle: ComponentChildren;
}) {
  const [chosen, setChosen] = useState<string | null>(null);
  // The list kept with the login draws the page at once; a fresh one follows (a municipality added since, say).
  const fresh = useLoad(async () => {
    const items = (await api.get<{ items: { id: string; name: string }[] }>('municipalities?limit=200')).items.map(
      ({ id, name }) => ({ id, name }),
    );
    stored.set({ ...s, municipalities: items });
    return items;
  }, s.token);
  const list = fresh.data ?? s.municipalities;
  const municipalityId = list.some((m) => m.id === chosen) ? chosen! : list[0]?.id;
  const isAdmin = s.user.role === 'admin';
  // An admin on an empty installation starts with the setup, never a page that says "no access".
  useEffect(() => {
    if (isAdmin && fresh.data && !fresh.data.length && (path === '/' || path.startsWith('/vecka')))
      navigate('/kom-igang', true);
  }, [isAdmin, fresh.data, path]);
  const ctx: Ctx | null = municipalityId
    ? { session: s, municipalityId, planner: PLANNER_ROLES.includes(s.user.role) }
    : null;
  return (
    <>
      <header class="top">
        <div class="bar">
          <a class="brand" href="/vecka" onClick={onLink}>
            Bryggan
          </a>
          {list.length > 1 && (
            <label class="inline">
              {t('municipality')}{' '}
              <select value={municipalityId} onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}>
                {list.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <Nav s={s} path={path} hasMunicipality={list.length > 0} />
          <span class="who">{s.user.email}</span>
          <button type="button" onClick={onOut}>
            {t('logout')}
          </button>
          {toggle}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {ownPage(s, path, fresh.reload) ?? (ctx ? page(ctx, path) : <NoMunicipality s={s} />)}
      </main>
    </>
  );
}

/** Pages that need no municipality: one's account, and the admin's. */
function ownPage(s: Session, path: string, organisationsChanged: () => void) {
  const first = path.split('/')[1];
  if (first === 'konto')
    return <Lazy name="account" load={accountPages} render={(m) => <m.AccountPage session={s} />} />;
  if (s.user.role !== 'admin') return null;
  if (first === 'kom-igang')
    return (
      <Lazy
        name="setup"
        load={() => import('./pages/setup')}
        render={(m) => <m.SetupPage onChanged={organisationsChanged} />}
      />
    );
  if (first === 'organisationer')
    return (
      <Lazy
        name="organisations"
        load={() => import('./pages/organisations')}
        render={(m) => <m.OrganisationsPage onChanged={organisationsChanged} />}
      />
    );
  if (first === 'anvandare')
    return <Lazy name="users" load={() => import('./pages/users')} render={(m) => <m.UsersPage session={s} />} />;
  return null;
}

/** A login whose organisation has no municipality to show yet: what is missing, and who adds it. */
function NoMunicipality({ s }: { s: Session }) {
  if (s.user.role === 'admin') {
    return (
      <section class="narrow stack">
        <h1 tabIndex={-1}>{t('emptyTitle')}</h1>
        <p>{t('emptyAdmin')}</p>
        <p>
          <a class="button primary" href="/kom-igang" onClick={onLink}>
            {t('setup')}
          </a>
        </p>
      </section>
    );
  }
  return (
    <section class="narrow stack">
      <h1 tabIndex={-1}>{t('emptyTitle')}</h1>
      <p>{s.user.role === 'association_staff' ? t('emptyStaff') : t('emptyOther')}</p>
    </section>
  );
}

function page(ctx: Ctx, path: string) {
  const role = ctx.session.user.role;
  const parts = path.split('/').filter(Boolean);
  switch (parts[0]) {
    case undefined:
    case 'vecka':
      return <WeekPage key={`${ctx.municipalityId}/${parts[1] ?? ''}`} ctx={ctx} week={parts[1] ?? thisWeek()} />;
    case 'termin':
      return ctx.planner ? <TermPage ctx={ctx} /> : <p>{t('notAllowed')}</p>;
    case 'lokaler':
      return ctx.planner ? (
        <Lazy name="venues" load={() => import('./pages/venues')} render={(m) => <m.VenuesPage ctx={ctx} />} />
      ) : (
        <p>{t('notAllowed')}</p>
      );
    case 'kafeer':
      return ctx.planner ? (
        <Lazy name="cafes" load={() => import('./pages/cafes')} render={(m) => <m.CafesPage ctx={ctx} />} />
      ) : (
        <p>{t('notAllowed')}</p>
      );
    case 'personal':
      return ROSTER_ROLES.includes(role) ? (
        <Lazy
          name="roster"
          load={() => import('./pages/roster')}
          render={(m) => <m.RosterPage ctx={ctx} parts={parts.slice(1)} />}
        />
      ) : (
        <p>{t('notAllowed')}</p>
      );
    case 'rapporter':
      return <ReportsPage ctx={ctx} />;
    case 'mejl':
      return ctx.planner ? (
        <Lazy name="outbox" load={() => import('./pages/outbox')} render={(m) => <m.OutboxPage ctx={ctx} />} />
      ) : (
        <p>{t('notAllowed')}</p>
      );
    case 'ko':
      return ROSTER_ROLES.includes(role) && parts[1] ? (
        <Lazy
          name={`queue/${parts[1]}`}
          load={queuePage}
          render={(m) => <m.QueuePage source={m.userQueueSource(parts[1])} />}
        />
      ) : (
        <p>{t('notAllowed')}</p>
      );
    case 'efter-cafeet':
      return ROSTER_ROLES.includes(role) && parts[1] ? (
        <ReportFormPage
          sessionId={parts[1]}
          source={loggedInSource(parts[1], ctx.planner ? ctx.municipalityId : undefined, ctx.planner)}
        />
      ) : (
        <p>{t('notAllowed')}</p>
      );
    default:
      return <p>{t('notFound')}</p>;
  }
}

function App() {
  const path = usePath();
  // A login kept from an older version of the page (without its municipalities) logs in again.
  const [s, setS] = useState<Session | null>(() => (stored.get()?.municipalities ? stored.get() : null));
  const [, setTick] = useState(0);
  const main = useRef(path);
  useEffect(() => whenLoggedOut(() => setS(null)), []);
  useEffect(() => {
    // A new page: move focus to its heading, as a page load would (screen readers announce it).
    if (main.current !== path) {
      main.current = path;
      requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
    }
  }, [path]);
  useEffect(() => {
    document.documentElement.lang = lang();
  }, []);

  // Moves focus by script: a guide's link keeps its key in the address's # part, which a plain #main link would replace.
  const skip = (
    <a
      class="skip"
      href="#main"
      onClick={(e) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}
    >
      {t('skip')}
    </a>
  );
  const toggle = <LangToggle onChange={() => setTick((x) => x + 1)} />;
  // A guide's page: the signed link is the only key; no login, no menu.
  if (path.startsWith('/min-sida')) {
    const sessionId = path.match(/^\/min-sida\/rapport\/([^/]+)/)?.[1];
    const queueId = path.match(/^\/min-sida\/ko\/([^/]+)/)?.[1];
    const token = decodeURIComponent(location.hash.slice(1));
    return (
      <>
        {skip}
        <div class="guide-top">{toggle}</div>
        <main id="main" class="narrow" tabIndex={-1}>
          {queueId ? (
            <Lazy
              name={`queue/${queueId}`}
              load={queuePage}
              render={(m) => <m.GuideQueuePage sessionId={queueId} token={token} />}
            />
          ) : (
            <GuidePage token={token} reportSessionId={sessionId} />
          )}
        </main>
      </>
    );
  }
  // The pages behind an invitation or reset mail, and the form that asks for one: no login needed.
  if (path === '/losenord' || path === '/glomt-losenord') {
    return (
      <>
        {skip}
        <div class="guide-top">{toggle}</div>
        <main id="main" class="narrow" tabIndex={-1}>
          <Lazy
            name={path}
            load={accountPages}
            render={(m) => (path === '/losenord' ? <m.ChoosePasswordPage onIn={setS} /> : <m.ForgotPasswordPage />)}
          />
        </main>
      </>
    );
  }
  if (!s)
    return (
      <>
        {skip}
        <div class="guide-top">{toggle}</div>
        <Login
          onIn={(x) => {
            setS(x);
            if (path === '/logga-in') navigate('/vecka', true);
          }}
        />
      </>
    );
  return (
    <>
      {skip}
      <LoggedIn
        s={s}
        path={path}
        toggle={toggle}
        onOut={() =>
          void logout()
            .catch(() => undefined)
            .finally(() => {
              setS(null);
              navigate('/logga-in');
            })
        }
      />
    </>
  );
}

render(<App />, document.getElementById('app')!);
