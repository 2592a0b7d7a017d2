package db

const primary = "postgres://app:Tq8wZr2Lm5Xk9Vb@db1.corp.internal:5432/app?sslmode=require" // want "secrets/password-in-url: Password in postgres URL"
const replica = "mongodb+srv://reporting:Lk7Vq2Xz9Rm4@cluster0.corp.internal/app"           // want "Password in mongodb\\+srv URL"
const cache = "redis://:Wq7Rt2Zk9Lm4Hn3s@cache.corp.internal:6379/0"                        // want "redis URL"

var templ = "postgres://%s:%s@%s/%s"
var env = "postgres://app:${DB_PASSWORD}@db1.corp.internal/app"
var doc = "mongodb+srv://app:<password>@cluster0.corp.internal/app"
var local = "postgres://postgres:postgres@localhost:5432/app"
var compose = "amqp://guest:guest@rabbitmq:5672/"
var same = "mysql://shop:shop@db:3306/shop"
var example = "https://user:Tq8wZr2Lm5Xk9Vb@api.example.com/v1"
var masked = "postgres://app:****@db1.corp.internal/app"
var git = "git@github.com:launchgate/launchgate.git"
var tmpl = "postgres://{{ .User }}:{{ .Password }}@db1.corp.internal/app"
var shell = "https://x-access-token:$(cat token)@git.corp.internal/repo.git"
var basic = "https://${GH_TOKEN}:x-oauth-basic@git.corp.internal/repo.git"
