package main

import "net/http"

func upload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 10<<20)
	f, _, err := r.FormFile("file")
	if err == nil {
		f.Close()
	}
}
