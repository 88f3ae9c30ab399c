import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Certificate } from '@balai/database';

/** Read-only view of issued certificates for reports (issuing belongs to the certificates feature). */
@Injectable()
export class CertificateReadRepository {
  constructor(@InjectModel(Certificate.name) private readonly model: Model<Certificate>) {}

  validByCourses(courseIds: Types.ObjectId[]): Promise<Array<Pick<Certificate, 'courseId' | 'userId' | 'number'>>> {
    return this.model
      .find({ courseId: { $in: courseIds }, status: 'valid' }, { courseId: 1, userId: 1, number: 1 })
      .lean<Array<Pick<Certificate, 'courseId' | 'userId' | 'number'>>>()
      .exec();
  }
}
