/**
 * The one module that knows the API's routes. Screens call the typed functions
 * below; when a route changes, only this file changes.
 *
 * Tokens: the access token lives only in memory; the refresh token is kept in
 * localStorage so a reload (or a phone killing the tab) does not sign the user
 * out. A 401 triggers one refresh (shared by concurrent calls) and a retry.
 */
import { langStore } from '../i18n';
import { createStore } from '../store';
import type { Role, Sector, CourseStatus, CourseType, EnrollmentStatus, SessionStatus } from '@balai/domain';

export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: Record<string, string[]>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, string[]>,
  ) {
    super(message);
  }
}

export interface IkmProfile {
  businessName: string;
  ownerName: string;
  nib: string;
  sector: Sector;
  kecamatan: string;
  address: string;
  whatsapp: string;
}

export interface Me {
  id: string;
  email: string;
  name: string;
  role: Role;
  ikm?: IkmProfile;
  locale?: 'id' | 'en';
}

export interface Course {
  id: string;
  code: string;
  title: string;
  description: string;
  category: string;
  type: CourseType;
  status: CourseStatus;
  capacity: number;
  seatsTaken: number;
  seatsLeft?: number;
  registrationOpensAt: string;
  registrationClosesAt: string;
  lessonHours: number;
  location?: string;
  trainerIds?: string[];
  trainers?: Array<{ id: string; name: string }>;
  certificate?: { enabled: boolean; minAttendancePercent: number; autoIssue?: boolean };
  nextSessionAt?: string;
  /** First session start / last session end (UTC). */
  startsAt?: string | null;
  endsAt?: string | null;
  sessions?: Session[];
}

export interface Session {
  id: string;
  courseId: string;
  title: string;
  startsAt: string;
  endsAt: string;
  status: SessionStatus;
  trainerIds?: string[];
}

export interface Enrollment {
  id: string;
  courseId: string;
  userId: string;
  status: EnrollmentStatus;
  seq?: number;
  waitlistPosition?: number;
  course?: Course;
  courseTitle?: string;
  courseCode?: string;
  courseStatus?: string;
  courseStartsAt?: string | null;
  createdAt?: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page?: number;
  pageSize?: number;
}

export interface Material {
  id: string;
  filename: string;
  contentType?: string;
  size?: number;
  uploadedAt?: string;
}

export interface Certificate {
  id: string;
  courseId: string;
  userId?: string;
  number: string;
  verificationCode: string;
  issuedAt: string;
  status: 'valid' | 'revoked';
  revokedAt?: string;
  revokedReason?: string;
  participantName: string;
  businessName?: string;
  courseTitle: string;
}

export interface Verification {
  status: 'valid' | 'revoked';
  number: string;
  participantName: string;
  businessName?: string;
  courseTitle: string;
  issuedAt: string;
  revokedAt?: string;
  revokedReason?: string;
  lessonHours?: number;
}

export interface AttendanceRow {
  userId: string;
  name?: string;
  businessName?: string;
  attendedMinutes: number;
  scheduledMinutes?: number;
  percent?: number;
  firstJoinAt?: string | null;
  lastLeaveAt?: string | null;
  connections?: number;
}

export interface CourseAttendance {
  courseId: string;
  attendedMinutes: number;
  scheduledMinutes: number;
  percent: number;
  minAttendancePercent?: number;
  sessions?: Array<{ sessionId: string; title?: string; startsAt?: string; attendedMinutes: number; scheduledMinutes: number }>;
}

export interface ReportRow {
  group: string;
  label?: string;
  participants: number;
  enrollments: number;
  attendedAtLeastOnce: number;
  metThreshold: number;
  certified: number;
}

export interface IssueProgress {
  total: number;
  done: number;
  waiting?: number;
  active?: number;
  failed?: number;
  state?: 'idle' | 'running' | 'done' | 'failed';
  failures?: Array<{ userId: string; reason: string }>;
  enqueued?: number;
  notEligible?: Array<{ userId: string; attendancePercent: number; reason: string }>;
}

export interface RosterEntry {
  enrollmentId: string;
  userId: string;
  name: string;
  email: string;
  businessName?: string;
  sector?: string;
  kecamatan?: string;
  whatsapp?: string;
  status: EnrollmentStatus;
  seq: number;
  createdAt: string;
}

export interface Roster {
  courseId: string;
  capacity: number;
  seatsTaken: number;
  enrolled: RosterEntry[];
  waitlist: RosterEntry[];
}

// ---------- token handling ----------

const REFRESH_KEY = 'balai.refreshToken';
let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;

/** The signed-in user, or null. `undefined` while the first refresh runs. */
export const meStore = createStore<Me | null | undefined>(undefined);

export const getAccessToken = () => accessToken;
const signedIn = () => !!accessToken || !!storedRefresh();

function storedRefresh(): string | null {
  try {
    return localStorage.getItem(REFRESH_KEY);
  } catch {
    return null;
  }
}
function storeRefresh(token: string | null): void {
  try {
    if (token) localStorage.setItem(REFRESH_KEY, token);
    else localStorage.removeItem(REFRESH_KEY);
  } catch {
    /* ignore */
  }
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn?: number;
}

let refreshTimer: ReturnType<typeof setTimeout> | undefined;
function scheduleRefresh(token: string, expiresIn?: number): void {
  clearTimeout(refreshTimer);
  let seconds = expiresIn;
  if (!seconds) {
    try {
      const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
      if (payload.exp) seconds = payload.exp - Date.now() / 1000;
    } catch {
      /* opaque token */
    }
  }
  if (seconds && seconds > 30) refreshTimer = setTimeout(() => void refreshTokens(), (seconds - 30) * 1000);
}

function acceptTokens(tokens: Tokens): void {
  accessToken = tokens.accessToken;
  storeRefresh(tokens.refreshToken);
  scheduleRefresh(tokens.accessToken, tokens.expiresIn);
}

/** One refresh at a time; resolves false (and signs out locally) if it fails. */
export function refreshTokens(): Promise<boolean> {
  if (refreshing) return refreshing;
  const token = storedRefresh();
  if (!token) return Promise.resolve(false);
  refreshing = (async () => {
    try {
      const tokens = await raw<Tokens>('POST', '/auth/refresh', { refreshToken: token }, false);
      acceptTokens(tokens);
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.status > 0 && e.status < 500) {
        accessToken = null;
        storeRefresh(null);
        meStore.set(null);
      }
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

// ---------- transport ----------

async function raw<T>(method: string, path: string, body?: unknown, auth = true, form?: FormData): Promise<T> {
  const headers: Record<string, string> = { 'Accept-Language': langStore.get(), Accept: 'application/json' };
  if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
  if (auth && accessToken) headers.Authorization = `Bearer ${accessToken}`;
  let res: Response;
  try {
    res = await fetch(`/api${path}`, { method, headers, body: form ?? (body !== undefined ? JSON.stringify(body) : undefined) });
  } catch {
    throw new ApiError(0, 'NETWORK', 'network');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!res.ok) {
    const b = (data ?? {}) as Partial<ApiErrorBody>;
    throw new ApiError(res.status, b.error ?? `HTTP_${res.status}`, typeof b.message === 'string' ? b.message : res.statusText, b.details);
  }
  return data as T;
}

async function call<T>(method: string, path: string, body?: unknown, form?: FormData): Promise<T> {
  if (!accessToken && storedRefresh()) await refreshTokens();
  try {
    return await raw<T>(method, path, body, true, form);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && storedRefresh() && (await refreshTokens())) {
      return raw<T>(method, path, body, true, form);
    }
    throw e;
  }
}

/** Normalise Mongo-style `_id` to `id` so screens use one name. */
function norm<T>(value: T): T {
  if (Array.isArray(value)) return value.map(norm) as T;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) out[k] = norm(v);
    if (out.id === undefined && typeof out._id === 'string') out.id = out._id;
    return out as T;
  }
  return value;
}

/** Accept `{items,total}`, `{data,total}` or a bare array. */
function page<T>(value: unknown): Page<T> {
  if (Array.isArray(value)) return { items: norm(value as T[]), total: value.length };
  const v = (value ?? {}) as { items?: T[]; data?: T[]; total?: number; page?: number; pageSize?: number };
  const items = norm(v.items ?? v.data ?? []);
  return { items, total: v.total ?? items.length, page: v.page, pageSize: v.pageSize };
}

const get = async <T>(path: string) => norm(await call<T>('GET', path));
const post = async <T>(path: string, body?: unknown) => norm(await call<T>('POST', path, body ?? {}));
const patch = async <T>(path: string, body: unknown) => norm(await call<T>('PATCH', path, body));
const del = async <T>(path: string) => norm(await call<T>('DELETE', path));
const qs = (params: Record<string, string | number | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, String(v));
  const str = s.toString();
  return str ? `?${str}` : '';
};

/** Download an authenticated file (PDF, CSV) and hand it to the browser. */
export async function download(path: string, fallbackName: string): Promise<void> {
  if (!accessToken && storedRefresh()) await refreshTokens();
  const doFetch = () =>
    fetch(`/api${path}`, { headers: accessToken ? { Authorization: `Bearer ${accessToken}`, 'Accept-Language': langStore.get() } : {} });
  let res = await doFetch();
  if (res.status === 401 && (await refreshTokens())) res = await doFetch();
  if (!res.ok) {
    let b: Partial<ApiErrorBody> = {};
    try {
      b = (await res.json()) as Partial<ApiErrorBody>;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, b.error ?? `HTTP_${res.status}`, b.message ?? res.statusText);
  }
  const blob = await res.blob();
  const cd = res.headers.get('content-disposition') ?? '';
  const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = decodeURIComponent(name);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// ---------- auth ----------

export const auth = {
  async login(email: string, password: string): Promise<Me> {
    const tokens = await raw<Tokens>('POST', '/auth/login', { email, password }, false);
    acceptTokens(tokens);
    return loadMe();
  },
  async register(input: { email: string; password: string; name: string; ikm: IkmProfile }): Promise<Me> {
    const res = await raw<Partial<Tokens>>('POST', '/auth/register', input, false);
    if (res && res.accessToken && res.refreshToken) {
      acceptTokens(res as Tokens);
      return loadMe();
    }
    return auth.login(input.email, input.password);
  },
  async logout(): Promise<void> {
    const token = storedRefresh();
    try {
      if (token) await raw('POST', '/auth/logout', { refreshToken: token }, true);
    } catch {
      /* signing out locally is what matters */
    }
    clearTimeout(refreshTimer);
    accessToken = null;
    storeRefresh(null);
    meStore.set(null);
  },
  requestReset: (email: string) => raw('POST', '/auth/password-reset/request', { email }, false),
  confirmReset: (token: string, password: string) => raw('POST', '/auth/password-reset/confirm', { token, newPassword: password }, false),
};

export async function loadMe(): Promise<Me> {
  const me = await get<Me>('/me');
  meStore.set(me);
  return me;
}

/** On boot: restore the session from the stored refresh token, if any. */
export async function restoreSession(): Promise<void> {
  if (!storedRefresh()) {
    meStore.set(null);
    return;
  }
  if (await refreshTokens()) {
    try {
      await loadMe();
      return;
    } catch {
      /* fall through */
    }
  }
  if (meStore.get() === undefined) meStore.set(null);
}

// ---------- domain calls ----------

export interface CourseFilter {
  q?: string;
  type?: string;
  status?: string;
  from?: string;
  to?: string;
  page?: number;
}

export const api = {
  // public catalogue
  catalogue: async (f: CourseFilter) => page<Course>(await call('GET', `/catalogue${qs({ ...f, limit: 20 })}`)),
  /** Signed in: the member view (also drafts for admins/trainers); otherwise the public one. */
  course: async (id: string) => (signedIn() ? get<Course>(`/courses/${id}`) : get<Course>(`/catalogue/${id}`)),
  courseSessions: async (id: string) => page<Session>(await call('GET', signedIn() ? `/courses/${id}/sessions` : `/catalogue/${id}/sessions`)).items,
  verify: (code: string) => get<Verification>(`/certificates/verify/${encodeURIComponent(code)}`),

  // participant
  enrol: (courseId: string) => post<Enrollment>(`/courses/${courseId}/enrollments`),
  cancelEnrolment: (courseId: string) => del<unknown>(`/courses/${courseId}/enrollments/me`),
  myEnrollments: async () => page<Enrollment>(await call('GET', '/me/enrollments')).items,
  mySessions: async () => page<Session & { course?: Course }>(await call('GET', '/me/sessions')).items,
  myAttendance: async (courseId: string): Promise<CourseAttendance | null> => {
    const r = await get<{ minAttendancePercent: number; rows: Array<{ attendedMinutes: number; scheduledMinutes: number; percent: number }> }>(
      `/courses/${courseId}/attendance/me`,
    );
    const row = r.rows?.[0];
    return row ? { courseId, ...row, minAttendancePercent: r.minAttendancePercent } : null;
  },
  myCertificates: async () => page<Certificate>(await call('GET', '/me/certificates')).items,
  certificatePdf: (id: string) => download(`/certificates/${id}/pdf`, 'sertifikat.pdf'),
  materials: async (courseId: string) => page<Material>(await call('GET', `/courses/${courseId}/materials`)).items,
  materialDownload: (_courseId: string, m: Material) => download(`/materials/${m.id}/download`, m.filename),
  uploadMaterial: (courseId: string, file: File) => {
    const form = new FormData();
    form.append('file', file);
    return call<Material>('POST', `/courses/${courseId}/materials`, undefined, form);
  },

  // trainer
  /** GET /courses is scoped to the trainer's own courses by the API. */
  myTeaching: async () => page<Course>(await call('GET', '/courses?limit=100')).items,

  // admin
  adminCourses: async (f: CourseFilter) => page<Course>(await call('GET', `/courses${qs({ ...f, limit: 100 })}`)),
  createCourse: (body: Record<string, unknown>) => post<Course>('/courses', body),
  updateCourse: (id: string, body: Record<string, unknown>) => patch<Course>(`/courses/${id}`, body),
  setCourseStatus: (id: string, status: CourseStatus) => post<Course>(`/courses/${id}/status`, { status }),
  createSession: (courseId: string, body: { title: string; startsAt: string; endsAt: string; trainerIds?: string[] }) =>
    post<Session>(`/courses/${courseId}/sessions`, body),
  updateSession: (id: string, body: Record<string, unknown>) => patch<Session>(`/sessions/${id}`, body),
  cancelSession: (id: string) => post<Session>(`/sessions/${id}/cancel`),
  /** No global sessions route: gather the sessions of the (non-cancelled) courses, keep those in the window. */
  sessionsBetween: async (from: string, to: string): Promise<Session[]> => {
    const courses = page<Course>(await call('GET', '/courses?limit=100')).items.filter((c) => c.status !== 'cancelled');
    const lists = await Promise.all(courses.map((c) => api.courseSessions(c.id).catch(() => [] as Session[])));
    return lists.flat().filter((s) => s.startsAt >= from && s.startsAt < to);
  },
  roster: (courseId: string) => get<Roster>(`/courses/${courseId}/roster`),
  removeEnrolment: (courseId: string, userId: string) => del<unknown>(`/courses/${courseId}/roster/${userId}`),
  sessionAttendance: async (sessionId: string) => (await get<{ rows: AttendanceRow[] }>(`/sessions/${sessionId}/attendance`)).rows ?? [],
  sessionAttendanceCsv: (sessionId: string) => download(`/sessions/${sessionId}/attendance.csv`, `kehadiran-${sessionId}.csv`),
  trainers: async () => page<Me>(await call('GET', '/users?role=trainer&limit=100')).items,
  createUser: (body: { email: string; name: string; password: string; role: Role }) => post<Me>('/users', body),
  courseCertificates: async (courseId: string) => page<Certificate>(await call('GET', `/courses/${courseId}/certificates`)).items,
  issueCertificates: (courseId: string) => post<IssueProgress>(`/courses/${courseId}/certificates/issue`),
  issueProgress: (courseId: string) => get<IssueProgress>(`/courses/${courseId}/certificates/issue`),
  revokeCertificate: (id: string, reason: string) => post<Certificate>(`/certificates/${id}/revoke`, { reason }),
  reportBy: async (dimension: 'sector' | 'kecamatan') => (await get<{ rows: ReportRow[] }>(`/reports/participation?groupBy=${dimension}`)).rows ?? [],
  reportCsv: (dimension: 'sector' | 'kecamatan') => download(`/reports/participation.csv?groupBy=${dimension}`, `laporan-${dimension}.csv`),

  // live
  liveConfig: () => get<{ liveUrl?: string; socketPath?: string }>('/live/config'),
};
