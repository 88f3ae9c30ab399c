import { Module } from '@nestjs/common';
import { AssessmentsModule } from '../assessments/assessments.module';
import { EvaluationRepository } from './evaluation.repository';
import { EvaluationsController } from './evaluations.controller';
import { EvaluationsService } from './evaluations.service';

/** The anonymous evaluation survey of a course (issue 11). */
@Module({
  imports: [AssessmentsModule],
  controllers: [EvaluationsController],
  providers: [EvaluationRepository, EvaluationsService],
})
export class EvaluationsModule {}
