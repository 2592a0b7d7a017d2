package main

import (
	"net/http"
	"strings"

	"github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	rscors "github.com/rs/cors"
)

func main() {
	mux := http.NewServeMux()
	c := rscors.New(rscors.Options{
		AllowedOrigins:   []string{"*"}, // want "cors/wildcard-origin-with-credentials"
		AllowCredentials: true,
	})
	handler := c.Handler(mux)
	_ = rscors.New(rscors.Options{
		AllowOriginFunc: func(origin string) bool { return strings.HasSuffix(origin, "example.com") }, // want "cors/unanchored-origin-check: .*HasSuffix"
	})

	r := gin.Default()
	r.Use(cors.New(cors.Config{AllowOriginFunc: func(origin string) bool { return true }, AllowCredentials: true})) // want "cors/reflected-origin: .*with credentials"

	e := echo.New()
	e.Use(middleware.CORS()) // want "cors/wildcard-origin: .*default of middleware.CORS"

	mux.HandleFunc("/api/data", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin")) // want "cors/reflected-origin"
		w.Write([]byte("ok"))
	})
	http.ListenAndServe(":8080", handler)
}
