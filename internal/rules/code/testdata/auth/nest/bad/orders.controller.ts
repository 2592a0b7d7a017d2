import { Controller, Delete, Get, Post, UseGuards } from '@nestjs/common';
import { JwtAuthGuard } from '../auth/jwt.guard';

@Controller('orders')
export class OrdersController {
  @UseGuards(JwtAuthGuard)
  @Get()
  list() {}

  @UseGuards(JwtAuthGuard)
  @Post()
  create() {}

  @Delete(':id') // want "auth/route-outside-auth-middleware: DELETE /orders/:id"
  remove() {}
}
