from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(
    CORSMiddleware,
    allow_origins=["*"],  # want "cors/wildcard-origin-with-credentials"
    allow_credentials=True,
)
app.add_middleware(CORSMiddleware, allow_origin_regex=r"https://app.example.com")  # want "cors/unanchored-origin-check: .*unescaped dot"
