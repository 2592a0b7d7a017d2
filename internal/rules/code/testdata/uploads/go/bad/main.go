package main

import "net/http"

func upload(w http.ResponseWriter, r *http.Request) {
	r.ParseMultipartForm(32 << 20)  // want "uploads/multipart-without-size-limit"
	f, _, err := r.FormFile("file") // want "uploads/multipart-without-size-limit"
	if err == nil {
		f.Close()
	}
}
