/** Small accessible building blocks shared by every screen. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from './i18n';
import { errorMessage } from './errors';
import { ApiError } from './api/client';

let uid = 0;
export const useId = (prefix: string) => useRef(`${prefix}-${++uid}`).current;

export function Alert(props: {
  kind?: 'error' | 'info' | 'success' | 'warn';
  children: ComponentChildren;
  id?: string;
}) {
  const kind = props.kind ?? 'info';
  return (
    <div
      id={props.id}
      class={`alert alert-${kind}`}
      role={kind === 'error' ? 'alert' : 'status'}
      aria-live={kind === 'error' ? 'assertive' : 'polite'}
    >
      {props.children}
    </div>
  );
}

interface FieldProps {
  label: string;
  error?: string | null;
  hint?: string | null;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ComponentChildren;
}
export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId('f');
  const parts = [hint ? `${id}-hint` : '', error ? `${id}-err` : ''].filter(Boolean);
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children({ id, describedBy: parts.length ? parts.join(' ') : undefined, invalid: !!error })}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-err`}>
          {error}
        </p>
      )}
    </div>
  );
}

export function Spinner() {
  return (
    <p class="loading" role="status">
      {t('loading')}
    </p>
  );
}

/** Load data once (and on `deps` change) with loading/error states. */
/** The API could not be reached or answered 502-504: try again by itself, the screen recovers when the API does. */
const AUTO_RETRY_MS = 4000;
const retryable = (e: unknown) => e instanceof ApiError && (e.status === 0 || (e.status >= 502 && e.status <= 504));

export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
): { data: T | undefined; error: string | null; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data: T | undefined; error: string | null; loading: boolean }>({
    data: undefined,
    error: null,
    loading: true,
  });
  const [n, setN] = useState(0);
  const auto = useRef(false);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // An automatic retry keeps the message on screen instead of flashing a spinner.
    if (!auto.current) setState((s) => ({ ...s, loading: true, error: null }));
    auto.current = false;
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (e: unknown) => {
        if (!live) return;
        setState({ data: undefined, error: errorMessage(e), loading: false });
        if (retryable(e))
          timer = setTimeout(() => {
            auto.current = true;
            setN((x) => x + 1);
          }, AUTO_RETRY_MS);
      },
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [...deps, n]);
  return { ...state, reload: () => setN((x) => x + 1) };
}

export function Loaded<T>(props: {
  state: { data: T | undefined; error: string | null; loading: boolean; reload: () => void };
  children: (data: T) => ComponentChildren;
}) {
  const { state } = props;
  if (state.error)
    return (
      <Alert kind="error">
        {state.error}{' '}
        <button type="button" class="link" onClick={state.reload}>
          {t('retry')}
        </button>
      </Alert>
    );
  if (state.loading && state.data === undefined) return <Spinner />;
  return <>{state.data !== undefined && props.children(state.data)}</>;
}

/** Moves focus to the page heading on navigation, for screen-reader and keyboard users. */
export function PageTitle(props: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 tabIndex={-1} ref={ref} class="page-title">
      {props.children}
    </h1>
  );
}

export function Badge(props: { tone?: 'ok' | 'warn' | 'muted' | 'live'; children: ComponentChildren }) {
  return <span class={`badge badge-${props.tone ?? 'muted'}`}>{props.children}</span>;
}

type Valued = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
export const val = (e: { currentTarget: EventTarget | null }) => (e.currentTarget as Valued).value;
