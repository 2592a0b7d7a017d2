package main

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/rs/cors"
)

var allowed = map[string]bool{"https://app.example.com": true}

func main() {
	mux := http.NewServeMux()
	c := cors.New(cors.Options{
		AllowedOrigins:   origins,
		AllowCredentials: true,
	})
	e := echo.New()
	e.Use(middleware.CORSWithConfig(middleware.CORSConfig{AllowOrigins: []string{"https://app.example.com"}}))

	mux.HandleFunc("/api/data", func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if allowed[origin] {
			w.Header().Set("Access-Control-Allow-Origin", origin)
		}
	})
	http.ListenAndServe(":8080", c.Handler(mux))
}
