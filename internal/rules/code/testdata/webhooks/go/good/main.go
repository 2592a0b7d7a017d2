package main

import (
	"io"
	"net/http"

	"github.com/stripe/stripe-go/v76/webhook"
)

func main() {
	http.HandleFunc("POST /webhooks/stripe", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(http.MaxBytesReader(w, r.Body, 65536))
		ev, err := webhook.ConstructEvent(body, r.Header.Get("Stripe-Signature"), secret)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		_ = ev
	})
	http.ListenAndServe(":8080", nil)
}
