import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { AssessmentCourses } from './assessment-course';
import { AssessmentFactsRepository } from './assessment-facts.repository';
import { AssessmentReportService } from './assessment-report.service';
import { AssessmentReportsController } from './assessment-reports.controller';
import { AssessmentSettingsRepository } from './assessment-settings.repository';
import { AssessmentSettingsService } from './assessment-settings.service';
import { AttemptGate } from './attempt-gate';
import { AttemptRepository } from './attempt.repository';
import { CertificateRequirements } from './certificate-requirements.service';
import { QuestionBankService } from './question-bank.service';
import { QuestionRepository } from './question.repository';
import { QuestionImageStore } from './question-image.store';
import { QuestionImagesController, QuestionsController } from './questions.controller';
import { TestsController } from './tests.controller';
import { TestsService } from './tests.service';

/** Question bank, pre-test and post-test, and the certificate conditions on them (issue 11). */
@Module({
  // Question files are small; the limit gives a 413 long before memory matters.
  imports: [
    MulterModule.register({ storage: memoryStorage(), limits: { fileSize: 2 * 1024 * 1024, files: 1, fields: 5 } }),
  ],
  controllers: [QuestionsController, QuestionImagesController, TestsController, AssessmentReportsController],
  providers: [
    AssessmentCourses,
    AssessmentSettingsRepository,
    AssessmentFactsRepository,
    AssessmentSettingsService,
    AttemptRepository,
    AttemptGate,
    QuestionRepository,
    QuestionBankService,
    QuestionImageStore,
    TestsService,
    CertificateRequirements,
    AssessmentReportService,
  ],
  exports: [CertificateRequirements, AssessmentCourses],
})
export class AssessmentsModule {}
