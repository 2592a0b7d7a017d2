from fastapi import FastAPI

app = FastAPI(debug=True)  # want "transport/debug-mode-in-production"
