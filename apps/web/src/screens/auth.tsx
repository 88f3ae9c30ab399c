/** Sign in, participant registration with the IKM profile, password reset. */
import { useMemo, useState } from 'preact/hooks';
import { KECAMATAN, Kecamatan, NIB_PATTERN, normalizeWhatsApp, SECTORS, SECTOR_CODES, Sector } from '@balai/domain';
import { ApiError, auth } from '../api/client';
import { errorMessage } from '../errors';
import { Key, t, useLang } from '../i18n';
import { homeFor, navigate, useRoute } from '../router';
import { Alert, Field, PageTitle, val } from '../ui';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

export function Login() {
  useLang();
  const route = useRoute();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [show, setShow] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = route.params.get('lanjut');
  return (
    <section class="narrow">
      <PageTitle>{t('loginTitle')}</PageTitle>
      {route.params.get('keluar') && <Alert kind="success">{t('loggedOut')}</Alert>}
      {route.params.get('reset') && <Alert kind="success">{t('resetDone')}</Alert>}
      {error && (
        <Alert kind="error" id="login-error">
          {error}
        </Alert>
      )}
      <form
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          if (!email.trim() || !password) {
            setError(t('errFixFields'));
            return;
          }
          setBusy(true);
          setError(null);
          try {
            const me = await auth.login(email.trim(), password);
            navigate(next && next.startsWith('/') ? next : homeFor(me.role));
          } catch (err) {
            setError(errorMessage(err, 'login'));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Field label={t('email')}>
          {({ id }) => (
            <input
              id={id}
              name="email"
              type="email"
              inputMode="email"
              autoComplete="username"
              required
              value={email}
              onInput={(e) => setEmail(val(e))}
            />
          )}
        </Field>
        <Field label={t('password')}>
          {({ id }) => (
            <input
              id={id}
              name="password"
              type={(show ? 'text' : 'password') as 'text'}
              autoComplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword(val(e))}
            />
          )}
        </Field>
        <label class="check">
          <input type="checkbox" checked={show} onChange={(e) => setShow(e.currentTarget.checked)} />{' '}
          {t('showPassword')}
        </label>
        <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
          {t('loginButton')}
        </button>
      </form>
      <p>
        <a href="#/lupa-sandi">{t('forgotPassword')}</a>
      </p>
      <p>
        {t('noAccount')} <a href="#/daftar">{t('registerLink')}</a>
      </p>
    </section>
  );
}

export interface RegisterForm {
  name: string;
  email: string;
  password: string;
  password2: string;
  businessName: string;
  nib: string;
  sector: string;
  kecamatan: string;
  address: string;
  whatsapp: string;
}
type FieldName = keyof RegisterForm;

/** Field-by-field validation, in the user's language; exported for reuse and tests. */
export function validateRegister(f: RegisterForm): Partial<Record<FieldName, string>> {
  const e: Partial<Record<FieldName, string>> = {};
  const req = (k: FieldName) => {
    if (!f[k].trim()) e[k] = t('errRequired');
  };
  (
    [
      'name',
      'email',
      'password',
      'password2',
      'businessName',
      'nib',
      'sector',
      'kecamatan',
      'address',
      'whatsapp',
    ] as FieldName[]
  ).forEach(req);
  if (!e.email && !EMAIL.test(f.email.trim())) e.email = t('errEmail');
  if (!e.password && (f.password.length < 8 || !/[A-Za-z]/.test(f.password) || !/\d/.test(f.password)))
    e.password = t('errPasswordShort');
  if (!e.password2 && f.password2 !== f.password) e.password2 = t('errPasswordMatch');
  const nib = f.nib.replace(/\s/g, '');
  if (!e.nib && /\D/.test(nib)) e.nib = t('errNibDigits');
  else if (!e.nib && !NIB_PATTERN.test(nib)) e.nib = t('errNib', { n: nib.length });
  if (!e.whatsapp && !normalizeWhatsApp(f.whatsapp)) e.whatsapp = t('errWhatsapp');
  return e;
}

const STEPS: Array<{ title: Key; fields: FieldName[] }> = [
  { title: 'stepAccount', fields: ['name', 'email', 'password', 'password2'] },
  { title: 'stepBusiness', fields: ['businessName', 'nib', 'sector'] },
  { title: 'stepContact', fields: ['kecamatan', 'address', 'whatsapp'] },
];

/** Map the API's `details` (field path -> messages) onto our field names. */
function serverFieldErrors(details: Record<string, string[]> | undefined): Partial<Record<FieldName, string>> {
  const out: Partial<Record<FieldName, string>> = {};
  if (!details) return out;
  for (const [path, msgs] of Object.entries(details)) {
    const leaf = (path.split('.').pop() ?? path) as FieldName;
    const key: FieldName = leaf === ('ownerName' as FieldName) ? 'name' : leaf;
    if (msgs[0]) out[key] = msgs[0];
  }
  return out;
}

export function Register() {
  const lang = useLang();
  const [form, setForm] = useState<RegisterForm>({
    name: '',
    email: '',
    password: '',
    password2: '',
    businessName: '',
    nib: '',
    sector: '',
    kecamatan: '',
    address: '',
    whatsapp: '',
  });
  const [touched, setTouched] = useState<Partial<Record<FieldName, boolean>>>({});
  const [step, setStep] = useState(0);
  const [serverErrors, setServerErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errors = useMemo(() => {
    const all = validateRegister(form);
    for (const [k, v] of Object.entries(serverErrors)) if (v) all[k as FieldName] = v;
    return all;
  }, [form, serverErrors, lang]);
  const show = (k: FieldName) => (touched[k] ? (errors[k] ?? null) : null);
  const set = (k: FieldName) => (e: Event) => {
    const v = (e.currentTarget as HTMLInputElement).value;
    setForm((f) => ({ ...f, [k]: v }));
    setTouched((tt) => ({ ...tt, [k]: true }));
    setServerErrors((s) => ({ ...s, [k]: undefined }));
  };
  const blur = (k: FieldName) => () => setTouched((tt) => ({ ...tt, [k]: true }));
  const wa = normalizeWhatsApp(form.whatsapp);

  function stepValid(i: number): boolean {
    const bad = STEPS[i]!.fields.filter((k) => errors[k]);
    if (bad.length) {
      setTouched((tt) => ({ ...tt, ...Object.fromEntries(STEPS[i]!.fields.map((k) => [k, true])) }));
      setError(t('errFixFields'));
      setTimeout(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
      return false;
    }
    setError(null);
    return true;
  }

  async function submit() {
    for (let i = 0; i < STEPS.length; i++) {
      if (!stepValid(i)) {
        setStep(i);
        return;
      }
    }
    setBusy(true);
    setError(null);
    try {
      await auth.register({
        email: form.email.trim(),
        password: form.password,
        name: form.name.trim(),
        ikm: {
          ownerName: form.name.trim(),
          businessName: form.businessName.trim(),
          nib: form.nib.replace(/\s/g, ''),
          sector: form.sector as Sector,
          kecamatan: form.kecamatan as Kecamatan,
          address: form.address.trim(),
          whatsapp: wa!,
        },
      });
      navigate('/kelas?baru=1');
    } catch (err) {
      if (err instanceof ApiError && err.details) {
        const fe = serverFieldErrors(err.details);
        setServerErrors(fe);
        const firstStep = STEPS.findIndex((s) => s.fields.some((k) => fe[k]));
        if (firstStep >= 0) setStep(firstStep);
      }
      if (err instanceof ApiError && (err.status === 409 || /EMAIL/.test(err.code))) {
        setServerErrors((s) => ({ ...s, email: t('errEmailTaken') }));
        setStep(0);
      }
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const input = (k: FieldName, label: string, attrs: Record<string, unknown> = {}, hint?: string | null) => (
    <Field label={label} error={show(k)} hint={hint}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          name={k}
          value={form[k]}
          onInput={set(k)}
          onBlur={blur(k)}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          required
          {...attrs}
        />
      )}
    </Field>
  );

  return (
    <section class="narrow">
      <PageTitle>{t('registerTitle')}</PageTitle>
      <p>{t('registerIntro')}</p>
      <ol class="steps" aria-label={t('stepOf', { a: step + 1, b: STEPS.length })}>
        {STEPS.map((s, i) => (
          <li
            key={s.title}
            class={i === step ? 'current' : i < step ? 'done' : ''}
            aria-current={i === step ? 'step' : undefined}
          >
            <span aria-hidden="true">{i + 1}</span> {t(s.title)}
          </li>
        ))}
      </ol>
      <p class="muted" aria-live="polite">
        {t('stepOf', { a: step + 1, b: STEPS.length })}
      </p>
      {error && <Alert kind="error">{error}</Alert>}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (step < STEPS.length - 1) {
            if (stepValid(step)) setStep(step + 1);
          } else void submit();
        }}
      >
        {step === 0 && (
          <fieldset>
            <legend>{t('stepAccount')}</legend>
            {input('name', t('ownerName'), { autoComplete: 'name' })}
            {input('email', t('email'), { type: 'email', inputMode: 'email', autoComplete: 'email' })}
            {input('password', t('password'), { type: 'password', autoComplete: 'new-password' }, t('passwordHint'))}
            {input('password2', t('passwordConfirm'), { type: 'password', autoComplete: 'new-password' })}
          </fieldset>
        )}
        {step === 1 && (
          <fieldset>
            <legend>{t('stepBusiness')}</legend>
            {input('businessName', t('businessName'), { autoComplete: 'organization' })}
            {input('nib', t('nib'), { inputMode: 'numeric', maxLength: 16, autoComplete: 'off' }, t('nibHint'))}
            <Field label={t('sector')} error={show('sector')}>
              {({ id, describedBy, invalid }) => (
                <select
                  id={id}
                  name="sector"
                  value={form.sector}
                  onChange={set('sector')}
                  onBlur={blur('sector')}
                  aria-invalid={invalid}
                  aria-describedby={describedBy}
                  required
                >
                  <option value="">{t('chooseSector')}</option>
                  {SECTOR_CODES.map((code) => (
                    <option key={code} value={code}>
                      {SECTORS[code][lang]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </fieldset>
        )}
        {step === 2 && (
          <fieldset>
            <legend>{t('stepContact')}</legend>
            <Field label={t('kecamatan')} error={show('kecamatan')}>
              {({ id, describedBy, invalid }) => (
                <select
                  id={id}
                  name="kecamatan"
                  value={form.kecamatan}
                  onChange={set('kecamatan')}
                  onBlur={blur('kecamatan')}
                  aria-invalid={invalid}
                  aria-describedby={describedBy}
                  required
                >
                  <option value="">{t('chooseKecamatan')}</option>
                  {KECAMATAN.map((k) => (
                    <option key={k} value={k}>
                      {k}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('address')} error={show('address')}>
              {({ id, describedBy, invalid }) => (
                <textarea
                  id={id}
                  name="address"
                  rows={3}
                  value={form.address}
                  onInput={set('address')}
                  onBlur={blur('address')}
                  aria-invalid={invalid}
                  aria-describedby={describedBy}
                  required
                  autoComplete="street-address"
                />
              )}
            </Field>
            {input(
              'whatsapp',
              t('whatsapp'),
              { type: 'tel', inputMode: 'tel', autoComplete: 'tel' },
              wa ? t('whatsappAs', { v: wa }) : t('whatsappHint'),
            )}
          </fieldset>
        )}
        <div class="row">
          {step > 0 && (
            <button type="button" class="btn" onClick={() => setStep(step - 1)}>
              {t('prev')}
            </button>
          )}
          <button type="submit" class="btn btn-primary grow" disabled={busy}>
            {step < STEPS.length - 1 ? t('next') : t('registerButton')}
          </button>
        </div>
      </form>
    </section>
  );
}

export function ResetRequest() {
  useLang();
  const [email, setEmail] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <section class="narrow">
      <PageTitle>{t('resetTitle')}</PageTitle>
      <p>{t('resetIntro')}</p>
      {done && <Alert kind="success">{t('resetSent')}</Alert>}
      {error && <Alert kind="error">{error}</Alert>}
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          try {
            await auth.requestReset(email.trim());
            setDone(true);
          } catch (err) {
            setError(errorMessage(err));
          }
        }}
      >
        <Field label={t('email')}>
          {({ id }) => (
            <input id={id} type="email" required value={email} onInput={(e) => setEmail(val(e))} autoComplete="email" />
          )}
        </Field>
        <button class="btn btn-primary btn-block" type="submit">
          {t('resetSend')}
        </button>
      </form>
    </section>
  );
}

export function ResetConfirm() {
  useLang();
  const route = useRoute();
  const token = route.params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <section class="narrow">
      <PageTitle>{t('resetTitle')}</PageTitle>
      {error && <Alert kind="error">{error}</Alert>}
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (password.length < 8) {
            setError(t('errPasswordShort'));
            return;
          }
          try {
            await auth.confirmReset(token, password);
            navigate('/masuk?reset=1');
          } catch (err) {
            setError(errorMessage(err));
          }
        }}
      >
        <Field label={t('newPassword')} hint={t('passwordHint')}>
          {({ id, describedBy }) => (
            <input
              id={id}
              type="password"
              autoComplete="new-password"
              value={password}
              onInput={(e) => setPassword(val(e))}
              aria-describedby={describedBy}
            />
          )}
        </Field>
        <button class="btn btn-primary btn-block" type="submit">
          {t('save')}
        </button>
      </form>
    </section>
  );
}
