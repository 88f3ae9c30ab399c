import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { EnrollmentsController } from './enrollments.controller';
import { EnrollmentsService } from './enrollments.service';

@Module({ imports: [UsersModule], controllers: [EnrollmentsController], providers: [EnrollmentsService] })
export class EnrollmentsModule {}
