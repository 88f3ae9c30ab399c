import { HttpStatus, Injectable, PipeTransform } from '@nestjs/common';
import { AppException } from '@balai/common';
import { TEST_KINDS, TestKind } from '@balai/domain/assessment';

/** `pre` or `post`; anything else is a 400 in the error shape. */
@Injectable()
export class TestKindPipe implements PipeTransform<unknown, TestKind> {
  transform(value: unknown): TestKind {
    if (typeof value === 'string' && (TEST_KINDS as readonly string[]).includes(value)) return value as TestKind;
    throw new AppException(HttpStatus.BAD_REQUEST, 'INVALID_TEST_KIND', {
      id: 'Jenis tes harus pre atau post.',
      en: 'Test kind must be pre or post.',
    });
  }
}
