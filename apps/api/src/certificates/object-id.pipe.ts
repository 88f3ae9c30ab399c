import { HttpStatus, Injectable, PipeTransform } from '@nestjs/common';
import { Types } from 'mongoose';
import { AppException } from '@balai/common';

/** Route ids must be 24-hex ObjectIds: anything else is a 400, never a CastError 500. */
@Injectable()
export class ObjectIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !/^[0-9a-fA-F]{24}$/.test(value)) {
      throw new AppException(HttpStatus.BAD_REQUEST, 'INVALID_ID', {
        id: 'Format ID tidak valid.',
        en: 'Malformed id.',
      });
    }
    return new Types.ObjectId(value).toString();
  }
}
