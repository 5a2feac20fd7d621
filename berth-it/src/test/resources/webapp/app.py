import socket
import urllib.request

from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def hello():
    return {"hello": "berth", "host": socket.gethostname()}


@app.get("/db")
def db():
    # the "database" is a second container, reached by its name through the network's DNS
    with urllib.request.urlopen("http://db:8080/", timeout=5) as r:
        return {"db": r.read().decode().strip()}
