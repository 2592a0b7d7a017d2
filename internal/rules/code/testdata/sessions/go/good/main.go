package main

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func login(w http.ResponseWriter, r *http.Request) {
	cookie := &http.Cookie{Name: "session", Value: "x", HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode}
	http.SetCookie(w, cookie)
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: "en"})
}

func ginLogin(c *gin.Context) {
	c.SetCookie("token", "x", 3600, "/", "", true, true)
}
