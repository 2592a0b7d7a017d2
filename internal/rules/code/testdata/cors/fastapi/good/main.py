from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from .config import ORIGINS

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=ORIGINS, allow_credentials=True)
app.add_middleware(CORSMiddleware, allow_origin_regex=r"https://.*\.example\.com")
