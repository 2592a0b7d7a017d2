import { Body, Controller, Post } from '@nestjs/common';

@Controller('auth')
export class AuthController {
  @Post('login') // want "rate-limits/login-route-without-limit: POST /auth/login"
  login(@Body() dto: LoginDto) {
    return this.auth.login(dto);
  }
}
