package main

import "github.com/gin-gonic/gin"

func main() {
	r := gin.Default()
	api := r.Group("/api")
	api.GET("/orders", AuthRequired(), listOrders)
	api.POST("/orders", AuthRequired(), createOrder)
	api.PUT("/orders/:id", updateOrder) // want "auth/route-outside-auth-middleware: PUT /api/orders/:id"
	r.Run()
}
