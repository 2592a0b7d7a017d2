package main

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/httprate"
)

func main() {
	r := chi.NewRouter()
	r.With(httprate.LimitByIP(5, time.Minute)).Post("/login", login)
	r.Route("/api", func(r chi.Router) {
		r.Use(httprate.LimitByIP(100, time.Minute))
		r.Post("/invite", invite)
	})
	http.ListenAndServe(":8080", r)
}

func login(w http.ResponseWriter, r *http.Request)  {}
func invite(w http.ResponseWriter, r *http.Request) {}
