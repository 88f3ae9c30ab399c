/**
 * Entry of the browser client: shell (header, language switch, navigation) and
 * the route table. Heavy, role-specific screens (live room with mediasoup and
 * socket.io, trainer, admin) are loaded on demand so a participant's first load
 * stays small on a cheap phone.
 */
import { render } from 'preact';
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './styles.css';
import { langStore, t, useLang } from './i18n';
import { match, navigate, useRoute } from './router';
import { auth, meStore, restoreSession } from './api/client';
import { useStore } from './store';
import { Alert, PageTitle, Spinner } from './ui';
import { Catalogue, CoursePage } from './screens/catalogue';
import { Login, Register, ResetConfirm, ResetRequest } from './screens/auth';
import { Verify } from './screens/verify';
import { Certificates, MyClasses, MyCourse } from './screens/participant';

type Props = Record<string, string>;

/** Route-level code splitting without preact/compat. */
function lazy(loader: () => Promise<ComponentType<Props>>): ComponentType<Props> {
  let Loaded: ComponentType<Props> | null = null;
  return function Lazy(props: Props) {
    const [C, setC] = useState<ComponentType<Props> | null>(() => Loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (!C)
        loader().then(
          (c) => {
            Loaded = c;
            setC(() => c);
          },
          () => setFailed(true),
        );
    }, []);
    if (failed) return <Alert kind="error">{t('offline')}</Alert>;
    return C ? <C {...props} /> : <Spinner />;
  };
}

const LiveRoom = lazy(() => import('./live/room').then((m) => m.LiveRoom as ComponentType<Props>));
const Trainer = lazy(() => import('./screens/trainer').then((m) => m.TrainerHome as ComponentType<Props>));
const TrainerCourse = lazy(() => import('./screens/trainer').then((m) => m.TrainerCourse as ComponentType<Props>));
const Admin = lazy(() => import('./screens/admin').then((m) => m.AdminHome as ComponentType<Props>));
const AdminCourse = lazy(() => import('./screens/admin').then((m) => m.AdminCourse as ComponentType<Props>));
const TakeTest = lazy(() => import('./screens/assessments').then((m) => m.TakeTest as ComponentType<Props>));
const SessionReport = lazy(() =>
  import('./live/interaction/session-report').then((m) => m.SessionReport as ComponentType<Props>),
);
const SessionRecordings = lazy(() =>
  import('./screens/recordings/session-recordings').then((m) => m.SessionRecordings as ComponentType<Props>),
);
const Evaluation = lazy(() => import('./screens/assessments').then((m) => m.EvaluationScreen as ComponentType<Props>));

const ROUTES: Array<[string, ComponentType<Props>, ('participant' | 'trainer' | 'admin' | 'any')?]> = [
  ['/', Catalogue as ComponentType<Props>],
  ['/katalog', Catalogue as ComponentType<Props>],
  ['/kursus/:id', CoursePage as ComponentType<Props>],
  ['/masuk', Login as ComponentType<Props>],
  ['/daftar', Register as ComponentType<Props>],
  ['/lupa-sandi', ResetRequest as ComponentType<Props>],
  ['/atur-sandi', ResetConfirm as ComponentType<Props>],
  ['/verifikasi', Verify as ComponentType<Props>],
  ['/verifikasi/:code', Verify as ComponentType<Props>],
  ['/kelas', MyClasses as ComponentType<Props>, 'any'],
  ['/kelas/:id', MyCourse as ComponentType<Props>, 'any'],
  ['/kelas/:id/tes/:kind', TakeTest, 'participant'],
  ['/kelas/:id/evaluasi', Evaluation, 'participant'],
  ['/sertifikat', Certificates as ComponentType<Props>, 'any'],
  ['/sesi/:sessionId', LiveRoom, 'any'],
  ['/laporan-sesi/:sessionId', SessionReport, 'any'],
  ['/rekaman-sesi/:sessionId', SessionRecordings, 'any'],
  ['/pelatih', Trainer, 'trainer'],
  ['/pelatih/kursus/:id', TrainerCourse, 'trainer'],
  ['/admin', Admin, 'admin'],
  ['/admin/:tab', Admin, 'admin'],
  ['/admin/kursus/:id', AdminCourse, 'admin'],
];

function Header() {
  const me = useStore(meStore);
  const lang = useLang();
  const route = useRoute();
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [route.path]);
  const link = (href: string, label: string) => (
    <li>
      <a href={`#${href}`} aria-current={route.path === href ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
  return (
    <header class="app-header">
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
      <div class="bar">
        <a class="brand" href="#/" aria-label="Balai — beranda">
          <span class="brand-mark" aria-hidden="true">
            B
          </span>
          <span>Balai</span>
        </a>
        <button
          type="button"
          class="lang"
          onClick={() => langStore.set(lang === 'id' ? 'en' : 'id')}
          lang={lang === 'id' ? 'en' : 'id'}
          aria-label={`${t('language')}: ${t('switchLang')}`}
        >
          {lang === 'id' ? 'EN' : 'ID'}
        </button>
        <button
          type="button"
          class="menu-btn"
          aria-expanded={open}
          aria-controls="main-nav"
          onClick={() => setOpen(!open)}
        >
          <span aria-hidden="true">☰</span>
          <span class="sr-only">Menu</span>
        </button>
      </div>
      <nav id="main-nav" class={open ? 'open' : ''} aria-label="Menu utama">
        <ul>
          {link('/', t('navCatalogue'))}
          {me && me.role === 'participant' && link('/kelas', t('navMyClasses'))}
          {me && me.role === 'participant' && link('/sertifikat', t('navCertificates'))}
          {me && me.role === 'trainer' && link('/pelatih', t('navTrainer'))}
          {me && me.role === 'admin' && link('/admin', t('navAdmin'))}
          {!me && link('/masuk', t('navLogin'))}
          {!me && link('/daftar', t('navRegister'))}
          {me && (
            <li>
              <button
                type="button"
                class="link"
                onClick={async () => {
                  await auth.logout();
                  navigate('/masuk?keluar=1');
                }}
              >
                {t('navLogout')} <span class="muted">({me.name})</span>
              </button>
            </li>
          )}
        </ul>
      </nav>
    </header>
  );
}

function App() {
  useLang();
  const route = useRoute();
  const me = useStore(meStore);
  let view = (
    <>
      <PageTitle>{t('notFoundPage')}</PageTitle>
      <a href="#/">{t('navCatalogue')}</a>
    </>
  );
  for (const [pattern, Component, role] of ROUTES) {
    const params = match(pattern, route.path);
    if (!params) continue;
    if (role) {
      if (me === undefined) view = <Spinner />;
      else if (!me) {
        navigate(`/masuk?lanjut=${encodeURIComponent(route.path)}`);
        view = <Spinner />;
      } else if (role !== 'any' && me.role !== role) view = <Alert kind="error">{t('errForbidden')}</Alert>;
      else view = <Component {...params} />;
    } else view = <Component {...params} />;
    break;
  }
  const isLive = route.path.startsWith('/sesi/');
  return (
    <>
      {!isLive && <Header />}
      <main id="main" tabIndex={-1} class={isLive ? 'main-live' : 'main'}>
        {view}
      </main>
      {!isLive && (
        <footer class="app-footer">
          <p>Balai · {t('tagline')}</p>
          <p>
            <a href="#/verifikasi">{t('verifyTitle')}</a>
          </p>
        </footer>
      )}
    </>
  );
}

void restoreSession();
render(<App />, document.getElementById('app')!);
