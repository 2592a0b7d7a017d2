package main

import (
	"encoding/json"
	"net/http"
)

func main() {
	http.HandleFunc("POST /webhooks/github", func(w http.ResponseWriter, r *http.Request) { // want "webhooks/unverified-webhook: GitHub webhook"
		var ev map[string]any
		json.NewDecoder(r.Body).Decode(&ev)
		w.WriteHeader(http.StatusNoContent)
	})
	http.ListenAndServe(":8080", nil)
}
