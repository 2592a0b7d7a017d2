import { Body, Controller, Post } from '@nestjs/common';

@Controller('items')
export class ItemsController {
  @Post() // want "input-validation/body-without-validator: POST /items"
  create(@Body() dto: CreateItemDto) {
    return this.items.create(dto);
  }
}
