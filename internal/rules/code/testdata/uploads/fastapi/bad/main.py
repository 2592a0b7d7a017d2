from fastapi import FastAPI, UploadFile

app = FastAPI()


@app.post("/files")
async def create(file: UploadFile):  # want "uploads/multipart-without-size-limit: POST /files accepts an UploadFile"
    return {"name": file.filename}
