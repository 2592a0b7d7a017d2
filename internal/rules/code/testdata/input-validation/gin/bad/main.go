package main

import "github.com/gin-gonic/gin"

type Order struct {
	Item  string
	Count int
}

func main() {
	r := gin.Default()
	r.POST("/orders", func(c *gin.Context) {
		var o Order
		c.ShouldBindJSON(&o) // want "input-validation/body-without-validator: POST /orders"
		c.JSON(200, o)
	})
	r.Run()
}
