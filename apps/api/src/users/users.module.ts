import { Module } from '@nestjs/common';
import { PasswordHasher } from './password-hasher';
import { UserRepository } from './user.repository';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  controllers: [UsersController],
  providers: [UserRepository, UsersService, PasswordHasher],
  exports: [UserRepository, UsersService, PasswordHasher],
})
export class UsersModule {}
