from fastapi import FastAPI

app = FastAPI()


@app.post("/files")
async def create(name: str):
    return {"name": name}
