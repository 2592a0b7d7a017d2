package main

import (
	"net/http"

	"github.com/getsentry/sentry-go"
	"github.com/gin-gonic/gin"
)

func main() {
	sentry.Init(sentry.ClientOptions{Dsn: ""})
	r := gin.Default()
	r.GET("/readyz", func(c *gin.Context) { c.Status(http.StatusOK) })
	r.GET("/api/items", func(c *gin.Context) { c.JSON(http.StatusOK, nil) })
	r.Run()
}
