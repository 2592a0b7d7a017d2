package main

import (
	"net/http"
	"runtime/debug"

	"github.com/gin-gonic/gin"
)

func main() {
	gin.SetMode(gin.DebugMode) // want "transport/debug-mode-in-production"
	http.HandleFunc("/x", func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				w.Write(debug.Stack()) // want "transport/stack-trace-to-client"
			}
		}()
	})
}
