package main

import "github.com/gin-gonic/gin"

func main() {
	r := gin.Default()
	r.POST("/login", login)
	api := r.Group("/api", AuthRequired())
	api.GET("/orders", listOrders)
	api.POST("/orders", createOrder)
	api.PUT("/orders/:id", updateOrder)
	r.Run()
}
