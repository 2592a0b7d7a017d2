import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule, { cors: true }); // want "cors/wildcard-origin"
  app.enableCors({ origin: true, credentials: true }); // want "cors/reflected-origin: .*with credentials"
  await app.listen(3000);
}
bootstrap();
