package main

import "github.com/gin-gonic/gin"

type Order struct {
	Item  string `json:"item" binding:"required,max=64"`
	Count int    `json:"count" binding:"required,min=1,max=100"`
}

func main() {
	r := gin.Default()
	r.POST("/orders", func(c *gin.Context) {
		var o Order
		if err := c.ShouldBindJSON(&o); err != nil {
			c.JSON(400, gin.H{"error": err.Error()})
			return
		}
		c.JSON(200, o)
	})
	r.Run()
}
