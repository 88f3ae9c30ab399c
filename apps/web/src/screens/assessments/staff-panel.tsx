/**
 * For admins and the course's trainers, on the course page: test settings and
 * certificate conditions, the question bank (add, delete, import/export with a
 * template), the pre/post report with its chart and CSV, and the anonymous
 * evaluation results.
 */
import { useState } from 'preact/hooks';
import { meStore } from '../../api/client';
import { errorMessage } from '../../errors';
import { useLang } from '../../i18n';
import { useStore } from '../../store';
import { formatDateTime } from '../../time';
import { DataTable } from '../../table';
import { Alert, Field, Loaded, useLoad } from '../../ui';
import {
  AssessmentReport,
  assessApi,
  AssessmentSettings,
  CreateQuestion,
  EvaluationForm,
  EvaluationItem,
  Question,
} from './assess-api';
import { AuthImage } from './auth-image';
import { AssessKey, ta } from './i18n';
import './assessments.css';

/** A text field of a submitted form ('' when absent; a file input is never read this way). */
const field = (f: FormData, k: string): string => {
  const v = f.get(k);
  return typeof v === 'string' ? v : '';
};

type Msg = { kind: 'error' | 'success'; text: string } | null;
const num = (v: string) => (v.trim() === '' ? undefined : Number(v));

function SettingsForm({
  courseId,
  settings,
  onSaved,
}: {
  courseId: string;
  settings: AssessmentSettings;
  onSaved: () => void;
}) {
  const [msg, setMsg] = useState<Msg>(null);
  const run = async (work: () => Promise<unknown>, ok: string) => {
    setMsg(null);
    try {
      await work();
      setMsg({ kind: 'success', text: ok });
      onSaved();
    } catch (e) {
      setMsg({ kind: 'error', text: errorMessage(e) });
    }
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget as HTMLFormElement);
        const s = (k: string) => field(f, k);
        void run(
          () =>
            assessApi.updateSettings(courseId, {
              pre: {
                enabled: f.get('preEnabled') === 'on',
                timeLimitMinutes: num(s('preTime')),
                maxAttempts: num(s('preAttempts')),
              },
              post: {
                enabled: f.get('postEnabled') === 'on',
                timeLimitMinutes: num(s('postTime')),
                maxAttempts: num(s('postAttempts')),
                openDays: num(s('postDays')),
              },
              minPostTestPercent: s('minPost').trim() === '' ? null : Number(s('minPost')),
              requireEvaluation: f.get('requireEvaluation') === 'on',
            } as never),
          ta('settingsSaved'),
        );
      }}
    >
      <h3>{ta('settings')}</h3>
      <div class="assess-cards">
        {(['pre', 'post'] as const).map((k) => (
          <div class="card" key={k}>
            <h4>{ta(k)}</h4>
            <label class="check">
              <input type="checkbox" name={`${k}Enabled`} defaultChecked={settings[k].enabled} /> {ta('enabled')}
            </label>
            <Field label={ta('timeLimit')}>
              {({ id }) => (
                <input
                  id={id}
                  name={`${k}Time`}
                  type="number"
                  min={1}
                  max={240}
                  defaultValue={String(settings[k].timeLimitMinutes)}
                />
              )}
            </Field>
            <Field label={ta('maxAttempts')}>
              {({ id }) => (
                <input
                  id={id}
                  name={`${k}Attempts`}
                  type="number"
                  min={1}
                  max={10}
                  defaultValue={String(settings[k].maxAttempts)}
                />
              )}
            </Field>
            {k === 'post' && (
              <Field label={ta('openDays')}>
                {({ id }) => (
                  <input
                    id={id}
                    name="postDays"
                    type="number"
                    min={1}
                    max={90}
                    defaultValue={String(settings.post.openDays ?? 7)}
                  />
                )}
              </Field>
            )}
          </div>
        ))}
        <div class="card">
          <h4>{ta('certTitle')}</h4>
          <Field label={ta('minPost')}>
            {({ id }) => (
              <input
                id={id}
                name="minPost"
                type="number"
                min={0}
                max={100}
                defaultValue={settings.minPostTestPercent === null ? '' : String(settings.minPostTestPercent)}
              />
            )}
          </Field>
          <label class="check">
            <input type="checkbox" name="requireEvaluation" defaultChecked={settings.requireEvaluation} />{' '}
            {ta('requireEvaluation')}
          </label>
        </div>
      </div>
      {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
      <div class="row">
        <button type="submit" class="btn btn-primary">
          {ta('settings')} ✓
        </button>
        {settings.post.openedAt ? (
          <span class="hint">{ta('postOpened', { t: formatDateTime(settings.post.openedAt) })}</span>
        ) : (
          <button
            type="button"
            class="btn"
            onClick={() => void run(() => assessApi.openPost(courseId), ta('settingsSaved'))}
          >
            {ta('openPostNow')}
          </button>
        )}
      </div>
    </form>
  );
}

const LETTERS = 'ABCDEF';

type OptionDraft = { id?: string; text: string; correct: boolean };
const blankOptions = (): OptionDraft[] => [
  { text: '', correct: true },
  { text: '', correct: false },
];
const isUploaded = (url?: string) => !!url && url.startsWith('/api/');

/** Adds a question, or edits one (`question` given): type, text, points, options, an image by upload or https URL. */
function QuestionForm({
  courseId,
  question,
  onDone,
  onCancel,
}: {
  courseId: string;
  question?: Question;
  onDone: () => void;
  onCancel?: () => void;
}) {
  const editing = !!question;
  const [type, setType] = useState<CreateQuestion['type']>(question?.type ?? 'single');
  const [options, setOptions] = useState<OptionDraft[]>(
    question ? question.options.map((o) => ({ id: o.id, text: o.text, correct: o.correct })) : blankOptions(),
  );
  const [msg, setMsg] = useState<Msg>(null);
  const [busy, setBusy] = useState(false);
  const shown: OptionDraft[] =
    type === 'truefalse'
      ? [
          { id: options[0]?.id, text: ta('trueLabel'), correct: options[0]?.correct ?? true },
          { id: options[1]?.id, text: ta('falseLabel'), correct: !(options[0]?.correct ?? true) },
        ]
      : options;
  const prefix = editing ? `q-${question.id}` : 'q-new';
  return (
    <form
      class="assess-qform"
      data-testid={editing ? 'question-edit-form' : 'question-add-form'}
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget as HTMLFormElement;
        const f = new FormData(form);
        const fileInput = form.elements.namedItem('image') as HTMLInputElement | null;
        const file = fileInput?.files?.[0];
        const url = field(f, 'imageUrl').trim();
        setMsg(null);
        setBusy(true);
        try {
          const body = {
            type,
            text: field(f, 'text'),
            points: num(field(f, 'points')),
            ...(url ? { imageUrl: url } : {}),
            options: shown.map((o) => ({ ...(o.id ? { id: o.id } : {}), text: o.text, correct: o.correct })),
          };
          const saved = editing
            ? await assessApi.updateQuestion(courseId, question.id, body)
            : await assessApi.addQuestion(courseId, body);
          if (file) await assessApi.uploadImage(courseId, saved.id, file);
          else if (f.get('removeImage') === 'on') await assessApi.clearImage(courseId, saved.id);
          if (!editing) {
            form.reset();
            setOptions(blankOptions());
          }
          setMsg({ kind: 'success', text: ta(editing ? 'questionSaved' : 'questionAdded') });
          onDone();
        } catch (err) {
          setMsg({ kind: 'error', text: errorMessage(err) });
        } finally {
          setBusy(false);
        }
      }}
    >
      <h4>{editing ? ta('editQuestion') : ta('addQuestion')}</h4>
      <Field label={ta('questionType')}>
        {({ id }) => (
          <select
            id={id}
            value={type}
            onChange={(e) => setType((e.currentTarget as HTMLSelectElement).value as CreateQuestion['type'])}
          >
            {(['single', 'multiple', 'truefalse'] as const).map((k) => (
              <option value={k} key={k}>
                {ta(`type_${k}` as AssessKey)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={ta('questionText')}>
        {({ id }) => (
          <textarea
            id={id}
            name="text"
            rows={2}
            required
            minLength={3}
            maxLength={2000}
            defaultValue={question?.text ?? ''}
          />
        )}
      </Field>
      <div class="row">
        <Field label={ta('points')}>
          {({ id }) => (
            <input id={id} name="points" type="number" min={1} max={100} defaultValue={String(question?.points ?? 1)} />
          )}
        </Field>
      </div>
      <div class="assess-image-edit">
        {question?.imageUrl && (
          <div class="row">
            <AuthImage class="assess-img-thumb" src={question.imageUrl} />
            <label class="check">
              <input type="checkbox" name="removeImage" /> {ta('removeImage')}
            </label>
          </div>
        )}
        <Field label={ta('imageFile')} hint={ta('imageHint')}>
          {({ id }) => <input id={id} name="image" type="file" accept="image/png,image/jpeg,image/webp" />}
        </Field>
        <Field label={ta('imageUrl')}>
          {({ id }) => (
            <input
              id={id}
              name="imageUrl"
              type="url"
              pattern="https://.*"
              defaultValue={question?.imageUrl && !isUploaded(question.imageUrl) ? question.imageUrl : ''}
            />
          )}
        </Field>
      </div>
      <div class="assess-options-edit">
        {shown.map((o, i) => (
          <div class="row" key={i}>
            <input
              aria-label={ta('option', { l: LETTERS[i]! })}
              class="grow"
              value={o.text}
              readOnly={type === 'truefalse'}
              required
              maxLength={1000}
              onInput={(e) =>
                setOptions(
                  options.map((x, j) => (j === i ? { ...x, text: (e.currentTarget as HTMLInputElement).value } : x)),
                )
              }
            />
            <label class="check">
              <input
                type={type === 'multiple' ? 'checkbox' : 'radio'}
                name={`${prefix}-correct`}
                checked={o.correct}
                onChange={() =>
                  setOptions(
                    type === 'truefalse'
                      ? [
                          { id: options[0]?.id, text: '', correct: i === 0 },
                          { id: options[1]?.id, text: '', correct: i !== 0 },
                        ]
                      : options.map((x, j) =>
                          type === 'multiple'
                            ? j === i
                              ? { ...x, correct: !x.correct }
                              : x
                            : { ...x, correct: j === i },
                        ),
                  )
                }
              />
              {ta('correct')}
            </label>
            {type !== 'truefalse' && options.length > 2 && (
              <button
                type="button"
                class="link"
                aria-label={ta('removeOption', { l: LETTERS[i]! })}
                onClick={() => setOptions(options.filter((_, j) => j !== i))}
              >
                ✕
              </button>
            )}
          </div>
        ))}
      </div>
      {type !== 'truefalse' && options.length < 6 && (
        <button type="button" class="link" onClick={() => setOptions([...options, { text: '', correct: false }])}>
          + {ta('addOption')}
        </button>
      )}
      {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
      <div class="row">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {editing ? ta('saveQuestion') : ta('addQuestion')}
        </button>
        {onCancel && (
          <button type="button" class="btn" onClick={onCancel}>
            {ta('cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

function QuestionBank({ courseId }: { courseId: string }) {
  const state = useLoad(() => assessApi.questions(courseId), [courseId]);
  const [msg, setMsg] = useState<Msg>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const act = (work: () => Promise<unknown>) =>
    work().catch((e: unknown) => setMsg({ kind: 'error', text: errorMessage(e) }));
  return (
    <section>
      <h3>{ta('bank')}</h3>
      <div class="row">
        <button type="button" class="btn" onClick={() => act(() => assessApi.template('csv'))}>
          {ta('templateCsv')}
        </button>
        <button type="button" class="btn" onClick={() => act(() => assessApi.template('xlsx'))}>
          {ta('templateXlsx')}
        </button>
        <button type="button" class="btn" onClick={() => act(() => assessApi.exportQuestions(courseId, 'csv'))}>
          {ta('exportCsv')}
        </button>
        <button type="button" class="btn" onClick={() => act(() => assessApi.exportQuestions(courseId, 'xlsx'))}>
          {ta('exportXlsx')}
        </button>
      </div>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const input = (e.currentTarget as HTMLFormElement).elements.namedItem('file') as HTMLInputElement;
          const file = input.files?.[0];
          if (!file) return;
          setMsg(null);
          try {
            const r = await assessApi.importQuestions(courseId, file);
            setMsg({ kind: 'success', text: ta('imported', { n: r.imported }) });
            input.value = '';
            state.reload();
          } catch (err) {
            setMsg({ kind: 'error', text: errorMessage(err) });
          }
        }}
      >
        <Field label={ta('importFile')}>
          {({ id }) => <input id={id} name="file" type="file" accept=".csv,.xlsx,text/csv" />}
        </Field>
        <button type="submit" class="btn">
          {ta('import')}
        </button>
      </form>
      {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
      <Loaded state={state}>
        {(questions) =>
          questions.length ? (
            <ol>
              {questions.map((q) =>
                editing === q.id ? (
                  <li key={q.id}>
                    <QuestionForm
                      courseId={courseId}
                      question={q}
                      onDone={() => {
                        setEditing(null);
                        state.reload();
                      }}
                      onCancel={() => setEditing(null)}
                    />
                  </li>
                ) : (
                  <li key={q.id} data-testid="bank-question">
                    <strong>{q.text}</strong>{' '}
                    <span class="muted">
                      ({ta(`type_${q.type}` as AssessKey)}, {ta('pointsN', { n: q.points })})
                    </span>
                    {q.imageUrl && <AuthImage class="assess-img-thumb" src={q.imageUrl} />}
                    <ul class="plain">
                      {q.options.map((o) => (
                        <li key={o.id}>{o.correct ? `✓ ${o.text}` : o.text}</li>
                      ))}
                    </ul>
                    <div class="row">
                      <button type="button" class="btn" onClick={() => setEditing(q.id)}>
                        {ta('edit')}
                      </button>
                      <button
                        type="button"
                        class="btn"
                        onClick={() => {
                          if (!window.confirm(ta('deleteConfirm'))) return;
                          void act(async () => {
                            await assessApi.deleteQuestion(courseId, q.id);
                            state.reload();
                          });
                        }}
                      >
                        {ta('delete')}
                      </button>
                    </div>
                  </li>
                ),
              )}
            </ol>
          ) : (
            <p class="muted">{ta('noQuestions')}</p>
          )
        }
      </Loaded>
      <QuestionForm courseId={courseId} onDone={state.reload} />
    </section>
  );
}

/** Pre vs post per participant as paired bars (SVG, no chart library: a few rectangles). */
export function GainChart({ report }: { report: AssessmentReport }) {
  const rows = report.participants.filter((p) => p.prePercent !== null || p.postPercent !== null);
  if (!rows.length) return <p class="muted">{ta('none')}</p>;
  const bar = 14;
  const gap = 10;
  const left = 110;
  const width = 340;
  const height = rows.length * (2 * bar + gap) + 24;
  const x = (v: number) => left + ((width - left - 10) * v) / 100;
  return (
    <figure>
      <svg
        class="assess-chart"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={ta('chartTitle')}
        data-testid="gain-chart"
      >
        {[0, 50, 100].map((v) => (
          <g key={v}>
            <line x1={x(v)} x2={x(v)} y1={0} y2={height - 18} stroke="#ccc" />
            <text x={x(v)} y={height - 4} font-size="10" text-anchor="middle">
              {v}
            </text>
          </g>
        ))}
        {rows.map((p, i) => {
          const y = i * (2 * bar + gap) + 4;
          return (
            <g key={p.userId}>
              <text x={left - 6} y={y + bar + 4} font-size="10" text-anchor="end">
                {p.name.slice(0, 18)}
              </text>
              <rect x={left} y={y} width={x(p.prePercent ?? 0) - left} height={bar - 2} fill="#9aa5b1" />
              <rect x={left} y={y + bar} width={x(p.postPercent ?? 0) - left} height={bar - 2} fill="#1f6feb" />
            </g>
          );
        })}
      </svg>
      <figcaption class="hint">
        <span style={{ color: '#6b7785' }}>■</span> {ta('pre')} <span style={{ color: '#1f6feb' }}>■</span> {ta('post')}{' '}
        — {ta('chartTitle')}
      </figcaption>
    </figure>
  );
}

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? ta('none') : String(v));

function ReportSection({ courseId }: { courseId: string }) {
  const state = useLoad(() => assessApi.report(courseId), [courseId]);
  const [msg, setMsg] = useState<Msg>(null);
  return (
    <section data-testid="assessment-report">
      <h3>{ta('report')}</h3>
      {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
      <Loaded state={state}>
        {(r) => (
          <>
            <div class="assess-figures">
              <div>
                {ta('avgPre')}
                <strong data-testid="avg-pre">{fmt(r.summary.averagePre)}</strong>
              </div>
              <div>
                {ta('avgPost')}
                <strong data-testid="avg-post">{fmt(r.summary.averagePost)}</strong>
              </div>
              <div>
                {ta('avgGain')}
                <strong data-testid="avg-gain">{fmt(r.summary.averageGain)}</strong>
              </div>
              <div>
                {ta('nGain')}
                <strong data-testid="n-gain">{fmt(r.summary.normalizedGain)}</strong>
              </div>
              <div>
                {ta('participantsBoth')}
                <strong>{r.summary.participants}</strong>
              </div>
            </div>
            <GainChart report={r} />
            <div class="row">
              <button
                type="button"
                class="btn"
                data-testid="report-csv"
                onClick={() =>
                  assessApi.reportCsv(courseId).catch((e: unknown) => setMsg({ kind: 'error', text: errorMessage(e) }))
                }
              >
                {ta('downloadCsv')}
              </button>
            </div>
            <DataTable
              rows={r.participants}
              rowKey={(p) => p.userId}
              columns={[
                { header: ta('name'), cell: (p) => p.name },
                { header: ta('pre'), numeric: true, cell: (p) => fmt(p.prePercent) },
                { header: ta('post'), numeric: true, cell: (p) => fmt(p.postPercent) },
                { header: ta('avgGain'), numeric: true, cell: (p) => fmt(p.gain) },
                { header: ta('nGain'), numeric: true, cell: (p) => fmt(p.normalizedGain) },
                { header: ta('reasons'), cell: (p) => p.certificateReasons.join(', ') || '✓' },
              ]}
            />
            {(['bySector', 'byKecamatan'] as const).map((k) => (
              <details key={k}>
                <summary>{ta(k)}</summary>
                <DataTable
                  rows={r[k]}
                  rowKey={(g) => g.group}
                  columns={[
                    { header: ta('group'), cell: (g) => g.group },
                    { header: 'n', numeric: true, cell: (g) => g.participants },
                    { header: ta('pre'), numeric: true, cell: (g) => fmt(g.averagePre) },
                    { header: ta('post'), numeric: true, cell: (g) => fmt(g.averagePost) },
                    { header: ta('avgGain'), numeric: true, cell: (g) => fmt(g.averageGain) },
                    { header: ta('nGain'), numeric: true, cell: (g) => fmt(g.normalizedGain) },
                  ]}
                />
              </details>
            ))}
            <details>
              <summary>{ta('perQuestion')}</summary>
              <DataTable
                rows={r.questions}
                rowKey={(q) => q.questionId}
                columns={[
                  { header: '#', numeric: true, cell: (_, i) => i + 1 },
                  { header: ta('questionText'), cell: (q) => q.text },
                  { header: `${ta('pre')} %`, numeric: true, cell: (q) => fmt(q.preCorrectPercent) },
                  { header: `${ta('post')} %`, numeric: true, cell: (q) => fmt(q.postCorrectPercent) },
                ]}
              />
            </details>
          </>
        )}
      </Loaded>
    </section>
  );
}

const CATEGORIES = ['material', 'trainer', 'organisation', 'facilities'] as const;
const newItemId = (category: string) => `${category}-${Math.random().toString(36).slice(2, 8)}`;

/** The course's evaluation form: Likert items per category (the free-text field always closes the form). */
function EvaluationFormEditor({ courseId, canEdit }: { courseId: string; canEdit: boolean }) {
  const state = useLoad(() => assessApi.evaluation(courseId), [courseId]);
  return (
    <section data-testid="evaluation-form-editor">
      <h3>{ta('evalForm')}</h3>
      <Loaded state={state}>
        {(form) => (
          <EvaluationItems
            key={form.items.map((i) => i.id).join()}
            courseId={courseId}
            form={form}
            canEdit={canEdit}
            onSaved={state.reload}
          />
        )}
      </Loaded>
    </section>
  );
}

function EvaluationItems({
  courseId,
  form,
  canEdit,
  onSaved,
}: {
  courseId: string;
  form: EvaluationForm;
  canEdit: boolean;
  onSaved: () => void;
}) {
  const [items, setItems] = useState<EvaluationItem[]>(form.items);
  const [msg, setMsg] = useState<Msg>(null);
  const [busy, setBusy] = useState(false);
  const locked = form.responses > 0;
  const editable = canEdit && !locked;
  const setText = (id: string, text: string) => setItems(items.map((i) => (i.id === id ? { ...i, text } : i)));
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        setMsg(null);
        setBusy(true);
        try {
          await assessApi.updateEvaluationForm(
            courseId,
            items.map((i) => ({ ...i, text: i.text.trim() })),
          );
          setMsg({ kind: 'success', text: ta('formSaved') });
          onSaved();
        } catch (err) {
          setMsg({ kind: 'error', text: errorMessage(err) });
        } finally {
          setBusy(false);
        }
      }}
    >
      <p class="hint">
        {form.isDefault ? ta('formDefault') : ta('formCustom')} {ta('freeTextNote')}
      </p>
      {locked && <Alert kind="info">{ta('formLocked', { n: form.responses })}</Alert>}
      {!canEdit && <p class="hint">{ta('formAdminOnly')}</p>}
      {CATEGORIES.map((category) => {
        const inCategory = items.filter((i) => i.category === category);
        return (
          <fieldset class="assess-eval-cat" key={category} data-testid={`eval-category-${category}`}>
            <legend>{ta(`cat_${category}` as AssessKey)}</legend>
            {inCategory.length === 0 && <p class="muted">{ta('noItems')}</p>}
            {inCategory.map((item, n) => (
              <div class="row" key={item.id}>
                <textarea
                  class="grow"
                  aria-label={ta('itemN', { c: ta(`cat_${category}` as AssessKey), n: n + 1 })}
                  value={item.text}
                  readOnly={!editable}
                  required
                  minLength={3}
                  maxLength={500}
                  rows={2}
                  onInput={(e) => setText(item.id, (e.currentTarget as HTMLTextAreaElement).value)}
                />
                {editable && items.length > 1 && (
                  <button
                    type="button"
                    class="link"
                    aria-label={ta('removeItem', { n: n + 1 })}
                    onClick={() => setItems(items.filter((i) => i.id !== item.id))}
                  >
                    ✕
                  </button>
                )}
              </div>
            ))}
            {editable && items.length < 40 && (
              <button
                type="button"
                class="link"
                onClick={() => setItems([...items, { id: newItemId(category), category, text: '' }])}
              >
                + {ta('addItem')}
              </button>
            )}
          </fieldset>
        );
      })}
      {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
      {editable && (
        <div class="row">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {ta('saveForm')}
          </button>
        </div>
      )}
    </form>
  );
}

function EvaluationResults({ courseId }: { courseId: string }) {
  const state = useLoad(() => assessApi.evaluationReport(courseId), [courseId]);
  const [msg, setMsg] = useState<Msg>(null);
  return (
    <section>
      <h3>{ta('evalReport')}</h3>
      {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
      <Loaded state={state}>
        {(r) => (
          <>
            <p>{ta('responses', { r: r.responses, e: r.enrolled })}</p>
            {r.withheld && (
              <Alert kind="info">
                <span data-testid="evaluation-withheld">{ta('evalWithheld', { m: r.minResponses })}</span>
              </Alert>
            )}
            <DataTable
              rows={r.items}
              rowKey={(i) => i.id}
              columns={[
                {
                  header: ta('questionText'),
                  cell: (i) => (
                    <>
                      <span class="muted">{ta(`cat_${i.category}` as AssessKey)}:</span> {i.text}
                    </>
                  ),
                },
                { header: ta('average'), numeric: true, cell: (i) => fmt(i.average) },
                { header: 'n', numeric: true, cell: (i) => i.count },
              ]}
            />
            {r.comments.length > 0 && (
              <>
                <h4>{ta('comments')}</h4>
                <ul>
                  {r.comments.map((c, i) => (
                    <li key={i} class="prewrap">
                      {c}
                    </li>
                  ))}
                </ul>
              </>
            )}
            <button
              type="button"
              class="btn"
              onClick={() =>
                assessApi
                  .evaluationCsv(courseId)
                  .catch((e: unknown) => setMsg({ kind: 'error', text: errorMessage(e) }))
              }
            >
              {ta('downloadCsv')}
            </button>
          </>
        )}
      </Loaded>
    </section>
  );
}

export function AssessmentStaffPanel({ courseId }: { courseId: string }) {
  useLang();
  const me = useStore(meStore);
  const settings = useLoad(() => assessApi.settings(courseId), [courseId]);
  return (
    <section aria-labelledby="assess-staff-h" class="assess" data-testid="assessment-staff">
      <h2 id="assess-staff-h">{ta('staffTitle')}</h2>
      <Loaded state={settings}>
        {(s) => <SettingsForm courseId={courseId} settings={s} onSaved={settings.reload} />}
      </Loaded>
      <QuestionBank courseId={courseId} />
      <EvaluationFormEditor courseId={courseId} canEdit={me?.role === 'admin'} />
      <ReportSection courseId={courseId} />
      <EvaluationResults courseId={courseId} />
    </section>
  );
}
