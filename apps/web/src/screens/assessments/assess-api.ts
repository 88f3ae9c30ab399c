/**
 * The assessment and evaluation routes (issue 11), typed from the API's
 * OpenAPI document like the rest of the client, over the shared token handling
 * of api/client (one refresh, retry once on 401).
 */
import { ApiError, download, getAccessToken, refreshTokens } from '../../api/client';
import type { components } from '../../api/openapi';
import { langStore } from '../../i18n';

type S = components['schemas'];
export type AttemptView = S['AttemptViewDto'];
export type AttemptQuestion = S['AttemptQuestionDto'];
export type TestStatus = S['TestStatusDto'];
export type Requirements = S['CertificateRequirementsDto'];
export type EvaluationForm = S['EvaluationFormDto'];
export type EvaluationReport = S['EvaluationReportDto'];
export type AssessmentReport = S['AssessmentReportDto'];
export type AssessmentSettings = S['AssessmentSettingsDto'];
export type UpdateSettings = S['UpdateAssessmentSettingsDto'];
export type Question = S['QuestionResponseDto'];
export type CreateQuestion = S['CreateQuestionDto'];
export type UpdateQuestion = S['UpdateQuestionDto'];
export type EvaluationItem = S['EvaluationItemDto'];
export type SavedAnswer = S['SavedAnswerDto'];
export type TestKind = 'pre' | 'post';

/** One authorised request (a refresh first when there is no token, one retry after a 401). */
async function authorised(method: string, path: string, body?: unknown, form?: FormData): Promise<Response> {
  const once = async () => {
    const headers: Record<string, string> = { 'Accept-Language': langStore.get(), Accept: 'application/json, */*' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const token = getAccessToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await fetch(`/api${path}`, {
        method,
        headers,
        body: form ?? (body !== undefined ? JSON.stringify(body) : undefined),
      });
    } catch {
      throw new ApiError(0, 'NETWORK', 'network');
    }
  };
  if (!getAccessToken()) await refreshTokens();
  let res = await once();
  if (res.status === 401 && (await refreshTokens())) res = await once();
  return res;
}

async function send<T>(
  method: string,
  path: string,
  body?: unknown,
  form?: FormData,
): Promise<{ status: number; data: T }> {
  const res = await authorised(method, path, body, form);
  const text = res.status === 204 ? '' : await res.text().catch(() => '');
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const b = (data ?? {}) as { error?: string; message?: string; details?: Record<string, string[]> };
    throw new ApiError(res.status, b.error ?? `HTTP_${res.status}`, b.message ?? res.statusText, b.details);
  }
  return { status: res.status, data: data as T };
}

const json = async <T>(method: string, path: string, body?: unknown) => (await send<T>(method, path, body)).data;

export const assessApi = {
  tests: (courseId: string) => json<TestStatus[]>('GET', `/courses/${courseId}/tests`),
  start: (courseId: string, kind: TestKind) => json<AttemptView>('POST', `/courses/${courseId}/tests/${kind}/attempts`),
  attempt: (attemptId: string) => json<AttemptView>('GET', `/attempts/${attemptId}`),
  saveAnswer: (attemptId: string, questionId: string, optionIds: string[]) =>
    json<SavedAnswer>('PUT', `/attempts/${attemptId}/answers/${questionId}`, {
      optionIds,
    } satisfies S['SaveAnswerDto']),
  submit: (attemptId: string) => json<AttemptView>('POST', `/attempts/${attemptId}/submit`),
  requirements: (courseId: string) => json<Requirements>('GET', `/courses/${courseId}/certificate-requirements/me`),
  evaluation: (courseId: string) => json<EvaluationForm>('GET', `/courses/${courseId}/evaluation`),
  submitEvaluation: (courseId: string, body: S['SubmitEvaluationDto']) =>
    json<S['EvaluationReceiptDto']>('POST', `/courses/${courseId}/evaluation/responses`, body),

  // staff
  settings: (courseId: string) => json<AssessmentSettings>('GET', `/courses/${courseId}/assessment-settings`),
  updateSettings: (courseId: string, body: UpdateSettings) =>
    json<AssessmentSettings>('PATCH', `/courses/${courseId}/assessment-settings`, body),
  openPost: (courseId: string) => json<AssessmentSettings>('POST', `/courses/${courseId}/tests/post/open`),
  questions: (courseId: string) => json<Question[]>('GET', `/courses/${courseId}/questions`),
  addQuestion: (courseId: string, body: CreateQuestion) =>
    json<Question>('POST', `/courses/${courseId}/questions`, body),
  updateQuestion: (courseId: string, questionId: string, body: UpdateQuestion) =>
    json<Question>('PATCH', `/courses/${courseId}/questions/${questionId}`, body),
  uploadImage: async (courseId: string, questionId: string, file: File) => {
    const form = new FormData();
    form.append('file', file);
    return (await send<Question>('POST', `/courses/${courseId}/questions/${questionId}/image`, undefined, form)).data;
  },
  clearImage: (courseId: string, questionId: string) =>
    json<Question>('DELETE', `/courses/${courseId}/questions/${questionId}/image`),
  updateEvaluationForm: (courseId: string, items: EvaluationItem[]) =>
    json<EvaluationForm>('PUT', `/courses/${courseId}/evaluation/form`, {
      items,
    } satisfies S['UpdateEvaluationFormDto']),
  deleteQuestion: (courseId: string, questionId: string) =>
    json<void>('DELETE', `/courses/${courseId}/questions/${questionId}`),
  importQuestions: async (courseId: string, file: File) => {
    const form = new FormData();
    form.append('file', file);
    return (await send<S['ImportResultDto']>('POST', `/courses/${courseId}/questions/import`, undefined, form)).data;
  },
  exportQuestions: (courseId: string, format: 'csv' | 'xlsx') =>
    download(`/courses/${courseId}/questions/export?format=${format}`, `soal.${format}`),
  template: (format: 'csv' | 'xlsx') =>
    download(`/assessments/question-template?format=${format}`, `template-soal.${format}`),
  report: (courseId: string) => json<AssessmentReport>('GET', `/courses/${courseId}/assessment-report`),
  reportCsv: (courseId: string) => download(`/courses/${courseId}/assessment-report/csv`, 'nilai-pre-post.csv'),
  evaluationReport: (courseId: string) => json<EvaluationReport>('GET', `/courses/${courseId}/evaluation/report`),
  evaluationCsv: (courseId: string) => download(`/courses/${courseId}/evaluation/report/csv`, 'evaluasi.csv'),
};

/** An image behind the API's access checks (question images, course materials), as a blob for <img>. */
export async function imageBlob(url: string): Promise<Blob> {
  const res = await authorised('GET', url.replace(/^\/api/, ''));
  if (!res.ok) throw new ApiError(res.status, `HTTP_${res.status}`, res.statusText);
  return res.blob();
}
