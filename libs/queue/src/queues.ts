/**
 * Queue contracts shared by producers (api, live) and processors (worker).
 * Names and payload types are defined only here; processors live in apps/worker.
 */
export const QUEUES = {
  certificates: 'certificates',
  notifications: 'notifications',
  recordings: 'recordings',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Issue one certificate. Job id is deterministic: see `certificateJobId`. */
export interface IssueCertificateJob {
  courseId: string;
  userId: string;
  /** Admin who asked, or 'auto' when issued after the last session ended. */
  requestedBy: string;
  /**
   * Set by the worker on the first attempt and kept in the job, so a retry after
   * a crash prints the same number and code instead of taking a new number.
   */
  reserved?: CertificateReservation;
}

export interface CertificateReservation {
  seq: number;
  number: string;
  verificationCode: string;
  /** ISO instant. */
  issuedAt: string;
}

export const CERTIFICATE_JOBS = {
  issue: 'issue-certificate',
  /** Repeating: enqueue certificates of courses with `certificate.autoIssue` whose last session has ended. */
  autoIssueScan: 'auto-issue-scan',
} as const;

/** One id per (course, participant): enqueuing twice never makes two jobs. */
export function certificateJobId(courseId: string, userId: string): string {
  return `cert-${courseId}-${userId}`;
}

export const NOTIFICATION_JOBS = {
  sessionReminder: 'session-reminder',
  sessionRescheduled: 'session-rescheduled',
  sessionCancelled: 'session-cancelled',
  waitlistPromoted: 'waitlist-promoted',
  certificateIssued: 'certificate-issued',
  passwordReset: 'password-reset',
} as const;
export type NotificationJobName = (typeof NOTIFICATION_JOBS)[keyof typeof NOTIFICATION_JOBS];

export interface SessionReminderJob {
  sessionId: string;
  /** 24 h or 1 h before the start. */
  leadMinutes: number;
}
export interface SessionChangedJob {
  sessionId: string;
  courseId: string;
  previousStartsAt?: string;
  reason?: string;
}
export interface WaitlistPromotedJob {
  courseId: string;
  userId: string;
}
export interface CertificateIssuedJob {
  certificateId: string;
  /**
   * What the email says, as the worker stored it a moment before (optional, additive): with it the
   * email job reads neither the certificate nor the user (each a scan on FerretDB over PostgreSQL).
   */
  notice?: CertificateNoticeFacts;
}
export interface CertificateNoticeFacts {
  courseId: string;
  userId: string;
  name: string;
  email: string;
  whatsapp?: string;
  number: string;
  courseTitle: string;
  verificationCode: string;
}
export interface PasswordResetJob {
  userId: string;
  resetUrl: string;
}

export interface NotificationPayloads {
  [NOTIFICATION_JOBS.sessionReminder]: SessionReminderJob;
  [NOTIFICATION_JOBS.sessionRescheduled]: SessionChangedJob;
  [NOTIFICATION_JOBS.sessionCancelled]: SessionChangedJob;
  [NOTIFICATION_JOBS.waitlistPromoted]: WaitlistPromotedJob;
  [NOTIFICATION_JOBS.certificateIssued]: CertificateIssuedJob;
  [NOTIFICATION_JOBS.passwordReset]: PasswordResetJob;
}

/** Reminder job ids are per session and lead time, so rescheduling can replace them. */
export function reminderJobId(sessionId: string, leadMinutes: number): string {
  return `reminder-${sessionId}-${leadMinutes}`;
}
export const REMINDER_LEAD_MINUTES = [24 * 60, 60] as const;

/** GridFS bucket holding certificate PDFs (written by the worker, read by the API). */
export const CERTIFICATE_PDF_BUCKET = 'certificate_pdfs';
/** GridFS bucket holding composed recordings (written by the worker, read by the API). */
export const RECORDING_BUCKET = 'recordings';

/** One certificate-issued notice per certificate. */
export function certificateIssuedJobId(certificateId: string): string {
  return `certificate-issued-${certificateId}`;
}
