import { Controller, Delete, Get, Post, UseGuards } from '@nestjs/common';
import { JwtAuthGuard } from '../auth/jwt.guard';

@UseGuards(JwtAuthGuard)
@Controller('orders')
export class OrdersController {
  @Get()
  list() {}

  @Post()
  create() {}

  @Delete(':id')
  remove() {}
}
