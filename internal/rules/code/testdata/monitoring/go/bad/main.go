package main

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func main() {
	r := gin.Default()
	r.GET("/api/items", func(c *gin.Context) { c.JSON(http.StatusOK, nil) }) // want "monitoring/no-error-tracking" "monitoring/no-health-route"
	r.Run()
}
