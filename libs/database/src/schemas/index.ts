import type { ModelDefinition } from '@nestjs/mongoose';
import { AttendanceInterval, AttendanceIntervalSchema } from './attendance.schema';
import { Certificate, CertificateCounter, CertificateCounterSchema, CertificateSchema } from './certificate.schema';
import { Course, CourseSchema } from './course.schema';
import { CourseSession, CourseSessionSchema } from './course-session.schema';
import { Enrollment, EnrollmentSchema } from './enrollment.schema';
import { User, UserSchema } from './user.schema';
import { PasswordResetToken, PasswordResetTokenSchema, RefreshToken, RefreshTokenSchema } from './auth-token.schema';
import { Material, MaterialSchema } from './material.schema';
import { ChatMessage, ChatMessageSchema } from './chat-message.schema';
import {
  LivePoll,
  LivePollSchema,
  LiveQuestion,
  LiveQuestionSchema,
  PollVote,
  PollVoteSchema,
  QuestionUpvote,
  QuestionUpvoteSchema,
} from './interaction.schema';
import { Recording, RecordingSchema } from './recording.schema';
import {
  AssessmentSettings,
  AssessmentSettingsSchema,
  Question,
  QuestionSchema,
  TestAnswer,
  TestAnswerSchema,
  TestAttempt,
  TestAttemptSchema,
} from './assessment.schema';
import {
  EvaluationForm,
  EvaluationFormSchema,
  EvaluationResponse,
  EvaluationResponseSchema,
  EvaluationSubmission,
  EvaluationSubmissionSchema,
} from './evaluation.schema';

export * from './user.schema';
export * from './course.schema';
export * from './course-session.schema';
export * from './enrollment.schema';
export * from './attendance.schema';
export * from './certificate.schema';
export * from './auth-token.schema';
export * from './material.schema';
export * from './chat-message.schema';
export * from './assessment.schema';
export * from './evaluation.schema';
export * from './interaction.schema';
export * from './recording.schema';

/** Every model of the platform; registered once by DatabaseModule. */
export const ALL_MODELS: ModelDefinition[] = [
  { name: User.name, schema: UserSchema },
  { name: ChatMessage.name, schema: ChatMessageSchema },
  { name: Course.name, schema: CourseSchema },
  { name: CourseSession.name, schema: CourseSessionSchema },
  { name: Enrollment.name, schema: EnrollmentSchema },
  { name: AttendanceInterval.name, schema: AttendanceIntervalSchema },
  { name: Certificate.name, schema: CertificateSchema },
  { name: CertificateCounter.name, schema: CertificateCounterSchema },
  { name: RefreshToken.name, schema: RefreshTokenSchema },
  { name: PasswordResetToken.name, schema: PasswordResetTokenSchema },
  { name: Material.name, schema: MaterialSchema },
  { name: Question.name, schema: QuestionSchema },
  { name: AssessmentSettings.name, schema: AssessmentSettingsSchema },
  { name: TestAttempt.name, schema: TestAttemptSchema },
  { name: TestAnswer.name, schema: TestAnswerSchema },
  { name: EvaluationForm.name, schema: EvaluationFormSchema },
  { name: EvaluationSubmission.name, schema: EvaluationSubmissionSchema },
  { name: EvaluationResponse.name, schema: EvaluationResponseSchema },
  { name: LiveQuestion.name, schema: LiveQuestionSchema },
  { name: QuestionUpvote.name, schema: QuestionUpvoteSchema },
  { name: LivePoll.name, schema: LivePollSchema },
  { name: PollVote.name, schema: PollVoteSchema },
  { name: Recording.name, schema: RecordingSchema },
];
