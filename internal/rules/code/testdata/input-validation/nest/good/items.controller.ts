import { Body, Controller, Post } from '@nestjs/common';

@Controller('items')
export class ItemsController {
  @Post()
  create(@Body() dto: CreateItemDto) {
    return this.items.create(dto);
  }
}
