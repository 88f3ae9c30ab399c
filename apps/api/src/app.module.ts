import { Module } from '@nestjs/common';
import { apiEnvSchema, BalaiConfigModule } from '@balai/config';
import { LoggingModule, RedisModule } from '@balai/common';
import { DatabaseModule } from '@balai/database';
import { QueueModule, recordingStorageEnvShape } from '@balai/queue';
import { AuthModule } from './auth/auth.module';
import { CertificatesModule } from './certificates/certificates.module';
import { CertificateSettingsModule } from './certificate-settings/certificate-settings.module';
import { HealthModule } from './health/health.module';
import { PersistenceModule } from './persistence.module';
import { CoursesModule } from './courses/courses.module';
import { SessionsModule } from './sessions/sessions.module';
import { EnrollmentsModule } from './enrollments/enrollments.module';
import { AttendanceModule } from './attendance/attendance.module';
import { MaterialsModule } from './materials/materials.module';
import { ReportsModule } from './reports/reports.module';
import { LiveConfigModule } from './live-config/live-config.module';
import { WebModule } from './web/web.module';
import { AssessmentsModule } from './assessments/assessments.module';
import { EvaluationsModule } from './evaluations/evaluations.module';
import { InteractionModule } from './interaction/interaction.module';
import { RecordingsModule } from './recordings/recordings.module';

@Module({
  imports: [
    BalaiConfigModule.forApp(apiEnvSchema.extend(recordingStorageEnvShape)),
    LoggingModule.forService('api'),
    DatabaseModule.forRoot(),
    QueueModule.forRoot(),
    RedisModule.forService('api'),
    AuthModule,
    PersistenceModule,
    CoursesModule,
    SessionsModule,
    EnrollmentsModule,
    AttendanceModule,
    MaterialsModule,
    ReportsModule,
    CertificatesModule,
    CertificateSettingsModule,
    HealthModule,
    LiveConfigModule,
    AssessmentsModule,
    EvaluationsModule,
    InteractionModule,
    RecordingsModule,
    WebModule,
  ],
})
export class AppModule {}
