/** The browser's side of the API: the same routes, roles and checks as any other client. */
import type { z } from 'zod';
import type { Me as MeSchema } from '../contract/auth';
import type { SaidReason } from '../contract/reasons';

export type Me = z.infer<typeof MeSchema>;

export interface FieldIssue {
  field: string;
  issue: string;
  /** A hard rule at fault: the engine's reason, which the page words. */
  reason?: SaidReason;
}

/** An answer that was not 2xx: its machine-readable code, message and the fields at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldIssue[] = [],
    /** Seconds to wait before trying again (a 429's Retry-After). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

const KEY = 'bryggan.session';

export interface Session {
  token: string;
  user: Me;
  /** The municipalities this login may see, fetched once at login: every page starts from one of them. */
  municipalities: { id: string; name: string }[];
}

/**
 * The login lives in this tab only (sessionStorage): closing the tab on a shared library
 * computer ends it, and no other site can send it along, as a cookie would be.
 */
export const session = {
  get(): Session | null {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  },
  set(s: Session | null): void {
    if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
    else sessionStorage.removeItem(KEY);
  },
};

let onUnauthenticated: () => void = () => undefined;
export const whenLoggedOut = (f: () => void) => {
  onUnauthenticated = f;
};

async function send(method: string, path: string, body?: unknown, token = session.get()?.token): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const file = body instanceof Blob;
  if (body !== undefined) headers['content-type'] = file ? body.type || 'application/octet-stream' : 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(path.startsWith('/') ? path : `/api/v1/${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : file ? body : JSON.stringify(body),
  });
  if (res.ok) return res;
  let error: { code?: string; message?: string; details?: FieldIssue[] } = {};
  try {
    error = ((await res.json()) as { error?: typeof error }).error ?? {};
  } catch {
    // not JSON: a proxy's page, say
  }
  if (res.status === 401 && token && !path.includes('token=')) {
    session.set(null);
    onUnauthenticated();
  }
  const retryAfter = Number(res.headers.get('Retry-After')) || undefined;
  throw new ApiError(
    res.status,
    error.code ?? `http_${res.status}`,
    error.message ?? res.statusText,
    error.details ?? [],
    retryAfter,
  );
}

export const api = {
  get: async <T>(path: string): Promise<T> => (await (await send('GET', path)).json()) as T,
  post: async <T>(path: string, body?: unknown): Promise<T> => {
    const res = await send('POST', path, body ?? {});
    return (res.status === 204 ? undefined : await res.json()) as T;
  },
  put: async <T>(path: string, body: unknown): Promise<T> => (await (await send('PUT', path, body)).json()) as T,
  patch: async <T>(path: string, body: unknown): Promise<T> => (await (await send('PATCH', path, body)).json()) as T,
  del: async <T>(path: string): Promise<T> => (await (await send('DELETE', path)).json()) as T,
  /** A file sent as it is (a CSV or Excel file to import), its type as the browser names it. */
  upload: async <T>(path: string, file: Blob): Promise<T> => (await (await send('POST', path, file)).json()) as T,
  /** A file (CSV, a print page) as a blob, fetched with the login. */
  blob: async (path: string): Promise<Blob> => (await send('GET', path)).blob(),
  /** A guide's signed-link call: the token is the only credential, never the login. */
  raw: send,
};

export function login(email: string, password: string): Promise<Session> {
  return signIn('auth/login', { email, password });
}

/** A login from a route that answers with a token (the login form, a password link), kept in the tab. */
export async function signIn(path: string, body: unknown): Promise<Session> {
  const r = (await (await send('POST', path, body, '')).json()) as { token: string };
  const [user, municipalities] = await Promise.all([
    send('GET', 'auth/me', undefined, r.token).then((res) => res.json() as Promise<Me>),
    send('GET', 'municipalities?limit=200', undefined, r.token).then(
      (res) => res.json() as Promise<{ items: { id: string; name: string }[] }>,
    ),
  ]);
  const s = { token: r.token, user, municipalities: municipalities.items.map(({ id, name }) => ({ id, name })) };
  session.set(s);
  return s;
}

export async function logout(): Promise<void> {
  try {
    await send('POST', 'auth/logout', {});
  } finally {
    session.set(null);
  }
}

/** Saves a blob under a file name, as a download link would. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
