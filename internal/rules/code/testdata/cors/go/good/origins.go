package main

var origins = []string{"https://app.example.com", "https://admin.example.com"}
