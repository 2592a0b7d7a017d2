package main

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func login(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: "session", Value: "x", Secure: true, SameSite: http.SameSiteNoneMode}) // want "sessions/cookie-missing-httponly" "sessions/cookie-samesite-none"
}

func ginLogin(c *gin.Context) {
	c.SetCookie("token", "x", 3600, "/", "", false, true) // want "sessions/cookie-missing-secure"
}
