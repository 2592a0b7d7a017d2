package main

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

func main() {
	r := chi.NewRouter()
	r.Post("/login", login) // want "rate-limits/login-route-without-limit"
	r.Route("/api", func(r chi.Router) {
		r.Post("/invite", invite) // want "rate-limits/login-route-without-limit: POST /api/invite"
	})
	http.ListenAndServe(":8080", r)
}

func login(w http.ResponseWriter, r *http.Request)  {}
func invite(w http.ResponseWriter, r *http.Request) {}
